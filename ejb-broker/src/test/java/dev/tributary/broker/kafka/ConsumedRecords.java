package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Every record that stock consumers of a group delivered, by partition and offset, kept across the members'
 * lifetimes (and broker restarts): a second delivery of an offset is a duplicate, a missing one a loss.
 *
 * <p>The test thread polls the members in turn; only it touches this object and the consumers.
 */
final class ConsumedRecords {

    private final Map<TopicPartition, List<Long>> offsets = new HashMap<>();

    /**
     * Polls the members in turn (short polls, so one member's pending join never blocks the others) until the
     * condition holds, for at most a minute.
     */
    void pollUntil(List<KafkaConsumer<String, String>> members, BooleanSupplier done) {
        pollUntil(members, done, (member, record) -> { });
    }

    /** As {@link #pollUntil(List, BooleanSupplier)}, showing {@code check} every record and who polled it. */
    void pollUntil(List<KafkaConsumer<String, String>> members, BooleanSupplier done,
                   BiConsumer<KafkaConsumer<String, String>, ConsumerRecord<String, String>> check) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> "consumed " + total() + "; assignments "
                    + members.stream().map(m -> m.assignment().size()).toList());
            for (KafkaConsumer<String, String> member : members) {
                for (ConsumerRecord<String, String> record : member.poll(Duration.ofMillis(100))) {
                    check.accept(member, record);
                    offsets.computeIfAbsent(new TopicPartition(record.topic(), record.partition()),
                            tp -> new ArrayList<>()).add(record.offset());
                }
            }
        }
    }

    int total() {
        return offsets.values().stream().mapToInt(List::size).sum();
    }

    /** Exactly {@code expected} records, each partition's offsets delivered once, in order, from 0. */
    void assertEachOffsetOnceInOrder(int expected) {
        assertEquals(expected, total());
        offsets.forEach((tp, delivered) -> assertEquals(delivered.size(), Set.copyOf(delivered).size(),
                () -> "duplicates in " + tp));
        offsets.forEach((tp, delivered) -> {
            for (int i = 0; i < delivered.size(); i++) {
                assertEquals(i, delivered.get(i), "offsets of " + tp + " are consumed in order, from 0, once");
            }
        });
    }
}
