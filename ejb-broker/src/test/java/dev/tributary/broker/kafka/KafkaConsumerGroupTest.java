package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.broker.topic.NewTopic;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupState;
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

    private final ConsumedRecords consumed = new ConsumedRecords();

    @Test
    void consumersShareRebalanceCommitAndResumeAfterRestart() throws Exception {
        try (RunningKafkaBroker kafka = new RunningKafkaBroker(dataDir)) {
            kafka.broker.topicAdministration().create(new NewTopic(TOPIC, PARTITIONS, (short) 1, Map.of()));

            // Records are produced only once a generation is settled: what a member consumed and did not commit
            // before a rebalance is (correctly, at-least-once) delivered again to the partition's next owner.
            List<KafkaConsumer<String, String>> members = List.of(member(kafka, "a"), member(kafka, "b"),
                    member(kafka, "c"));
            consumed.pollUntil(members, () -> members.stream().allMatch(m -> m.assignment().size() == 2));
            kafka.produceNumbered(TOPIC, 0, 600);
            consumed.pollUntil(members, () -> consumed.total() == 600);
            members.forEach(KafkaConsumer::commitSync);

            members.get(2).close();
            List<KafkaConsumer<String, String>> remaining = members.subList(0, 2);
            consumed.pollUntil(remaining, () -> remaining.stream().allMatch(m -> m.assignment().size() == 3));
            kafka.produceNumbered(TOPIC, 600, 300);
            consumed.pollUntil(remaining, () -> consumed.total() == 900);
            remaining.forEach(KafkaConsumer::commitSync);
            remaining.forEach(KafkaConsumer::close);
        }
        consumed.assertEachOffsetOnceInOrder(900);

        try (RunningKafkaBroker kafka = new RunningKafkaBroker(dataDir)) {
            kafka.produceNumbered(TOPIC, 900, 60);
            try (KafkaConsumer<String, String> resumed = member(kafka, "d")) {
                consumed.pollUntil(List.of(resumed), () -> consumed.total() == 960);
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
        consumed.assertEachOffsetOnceInOrder(960);
        assertEquals(960, committedOffsetsSum(), "every partition's committed offset is its log end offset");
    }

    private long committedOffsetsSum() throws Exception {
        try (RunningKafkaBroker kafka = new RunningKafkaBroker(dataDir); Admin admin = kafka.admin()) {
            return admin.listConsumerGroupOffsets("orders-service").partitionsToOffsetAndMetadata()
                    .get(20, TimeUnit.SECONDS).values().stream().mapToLong(o -> o.offset()).sum();
        }
    }

    private static KafkaConsumer<String, String> member(RunningKafkaBroker kafka, String name) {
        KafkaConsumer<String, String> consumer = kafka.groupMember("orders-service", "member-" + name,
                new Properties());
        consumer.subscribe(List.of(TOPIC));
        return consumer;
    }
}
