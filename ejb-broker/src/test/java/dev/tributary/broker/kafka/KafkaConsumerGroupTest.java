package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.topic.NewTopic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stock consumers in a group: they share a topic's partitions, rebalance when one leaves, commit, and a consumer
 * of the same group resumes exactly at the committed offsets after a broker restart.
 */
class KafkaConsumerGroupTest {

    private static final String TOPIC = "grouped";
    private static final int PARTITIONS = 6;

    @TempDir
    Path dataDir;

    /** Every record consumed, by partition and offset: a second delivery of one would be a duplicate. */
    private final Map<TopicPartition, List<Long>> consumed = new HashMap<>();

    @Test
    void consumersShareRebalanceCommitAndResumeAfterRestart() throws Exception {
        try (RunningKafkaBroker kafka = new RunningKafkaBroker(dataDir)) {
            kafka.broker.topics().create(new NewTopic(TOPIC, PARTITIONS, (short) 1, Map.of()));

            // Records are produced only once a generation is settled: what a member consumed and did not commit
            // before a rebalance is (correctly, at-least-once) delivered again to the partition's next owner.
            List<KafkaConsumer<String, String>> members = List.of(member(kafka, "a"), member(kafka, "b"),
                    member(kafka, "c"));
            pollUntil(members, () -> members.stream().allMatch(m -> m.assignment().size() == 2));
            produce(kafka, 0, 600);
            pollUntil(members, () -> total() == 600);
            members.forEach(KafkaConsumer::commitSync);

            members.get(2).close();
            List<KafkaConsumer<String, String>> remaining = members.subList(0, 2);
            pollUntil(remaining, () -> remaining.stream().allMatch(m -> m.assignment().size() == 3));
            produce(kafka, 600, 300);
            pollUntil(remaining, () -> total() == 900);
            remaining.forEach(KafkaConsumer::commitSync);
            remaining.forEach(KafkaConsumer::close);
        }
        assertNoDuplicates(900);

        try (RunningKafkaBroker kafka = new RunningKafkaBroker(dataDir)) {
            produce(kafka, 900, 60);
            try (KafkaConsumer<String, String> resumed = member(kafka, "d")) {
                pollUntil(List.of(resumed), () -> total() == 960);
                resumed.commitSync();
                try (Admin admin = kafka.admin()) {
                    ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("orders-service"))
                            .describedGroups().get("orders-service").get(20, TimeUnit.SECONDS);
                    assertEquals(GroupState.STABLE, group.groupState());
                    assertEquals(1, group.members().size());
                    assertEquals(PARTITIONS, group.members().iterator().next().assignment().topicPartitions().size());
                }
            }
        }
        assertNoDuplicates(960);
        assertEquals(960, committedOffsetsSum(), "every partition's committed offset is its log end offset");
    }

    private long committedOffsetsSum() throws Exception {
        try (RunningKafkaBroker kafka = new RunningKafkaBroker(dataDir); Admin admin = kafka.admin()) {
            return admin.listConsumerGroupOffsets("orders-service").partitionsToOffsetAndMetadata()
                    .get(20, TimeUnit.SECONDS).values().stream().mapToLong(o -> o.offset()).sum();
        }
    }

    private KafkaConsumer<String, String> member(RunningKafkaBroker kafka, String name) {
        Properties config = new Properties();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "orders-service");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "member-" + name);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
        KafkaConsumer<String, String> consumer = kafka.consumer(config);
        consumer.subscribe(List.of(TOPIC));
        return consumer;
    }

    private static void produce(RunningKafkaBroker kafka, int from, int count) throws Exception {
        try (KafkaProducer<String, String> producer = kafka.producer(new Properties())) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "key-" + i, "value-" + i));
            }
            producer.flush();
        }
    }

    /**
     * Polls the members in turn (short polls, so one member's pending join never blocks the others) until the
     * condition holds, for at most a minute.
     */
    private void pollUntil(List<KafkaConsumer<String, String>> members, BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> "consumed " + total() + "; assignments "
                    + members.stream().map(m -> m.assignment().size()).toList());
            for (KafkaConsumer<String, String> member : members) {
                for (ConsumerRecord<String, String> record : member.poll(Duration.ofMillis(100))) {
                    consumed.computeIfAbsent(new TopicPartition(record.topic(), record.partition()),
                            tp -> new ArrayList<>()).add(record.offset());
                }
            }
        }
    }

    private int total() {
        return consumed.values().stream().mapToInt(List::size).sum();
    }

    private void assertNoDuplicates(int expected) {
        assertEquals(expected, total());
        consumed.forEach((tp, offsets) -> assertEquals(offsets.size(), Set.copyOf(offsets).size(),
                () -> "duplicates in " + tp));
        consumed.forEach((tp, offsets) -> {
            for (int i = 0; i < offsets.size(); i++) {
                assertEquals(i, offsets.get(i), "offsets of " + tp + " are consumed in order, from 0, once");
            }
        });
    }
}
