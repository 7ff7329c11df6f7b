package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.log.CleanerConfig;
import dev.tributary.broker.topic.CompactionState;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.testing.Conditions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compacted topic driven by stock Kafka clients: an idempotent producer writes updates and deletes, the broker's
 * cleaner compacts, and a consumer reading from the start sees the latest value of every key, across the gaps.
 */
class CompactedTopicTest {

    /** Cleaner threads that look for work every 50 ms instead of Kafka's 15 s. */
    static final CleanerConfig FAST_CLEANER = new CleanerConfig(1, 4L << 20, Double.MAX_VALUE, 50);
    static final Map<String, String> COMPACTED = Map.of("cleanup.policy", "compact", "segment.bytes", "4096",
            "min.cleanable.dirty.ratio", "0.01");
    private static final TopicPartition TABLE = new TopicPartition("table", 0);

    @TempDir
    Path dir;
    private RunningKafkaBroker kafka;

    @BeforeEach
    void start() throws Exception {
        kafka = new RunningKafkaBroker(BrokerConfig.embedded(dir).withCleaner(FAST_CLEANER),
                KafkaListenerConfig.of("127.0.0.1", 0));
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("table", 1, (short) 1).configs(COMPACTED))).all().get();
        }
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    @Test
    void aConsumerFromTheStartSeesTheLatestValueOfEveryKeyAcrossTheGaps() throws Exception {
        Map<String, String> expected = new HashMap<>();
        try (KafkaProducer<String, String> producer = kafka.producer(idempotent())) {
            for (int round = 0; round < 30; round++) {
                for (int k = 0; k < 10; k++) {
                    String value = k == 3 && round == 29 ? null : "v" + round + "-" + k;
                    producer.send(new ProducerRecord<>("table", 0, "key-" + k, value)).get();
                    expected.put("key-" + k, value);
                }
            }
            PartitionLog log = kafka.broker.hostedReplicas().leaderLog("table", 0);
            Conditions.await("the cleaner compacted the sealed segments", () -> cleaned(log),
                    () -> "status " + status() + ", " + CompactedRecords.readAll(log).size() + " records");

            List<ConsumerRecord<String, String>> consumed = consumeFrom(0);
            assertTrue(consumed.size() < 300 / 2, consumed.size() + " of 300 records are left");
            Map<String, String> seen = new HashMap<>();
            long previous = -1;
            for (ConsumerRecord<String, String> record : consumed) {
                assertTrue(record.offset() > previous, "offsets keep their order");
                previous = record.offset();
                seen.put(record.key(), record.value());
            }
            assertEquals(expected, seen, "the latest value of every key, and the tombstone of key-3");
            assertTrue(seen.containsKey("key-3"));
            assertNull(seen.get("key-3"), "a tombstone stays for delete.retention.ms");

            long firstKept = consumed.get(0).offset();
            assertTrue(firstKept > 0, "the first records were compacted away");
            assertEquals(firstKept, consumeFrom(firstKept - 1).get(0).offset(), "a fetch inside a gap goes on");
            try (KafkaConsumer<String, String> consumer = kafka.consumer(new Properties())) {
                assertEquals(0L, consumer.beginningOffsets(List.of(TABLE)).get(TABLE), "the log start stays");
                assertEquals(300L, consumer.endOffsets(List.of(TABLE)).get(TABLE), "offsets never change");
                assertEquals(firstKept, consumer.offsetsForTimes(Map.of(TABLE, 0L)).get(TABLE).offset());
            }

            producer.send(new ProducerRecord<>("table", 0, "key-0", "after-compaction")).get();
        }
        CompactionState status = status();
        assertFalse(status.failed());
        assertTrue(status.lastCleanedAtMs().isPresent());
        assertEquals("after-compaction", consumeFrom(0).stream().filter(r -> r.key().equals("key-0"))
                .reduce((a, b) -> b).orElseThrow().value(), "the idempotent producer goes on after compaction");
    }

    private CompactionState status() {
        return kafka.broker.topicMetadata().describe("table").partitions().get(0).cleaner().orElseThrow();
    }

    /** Whether the cleaner has cleaned up to the active segment: only the active segment can hold duplicates. */
    private boolean cleaned(PartitionLog log) {
        CompactionState status = status();
        return status.lastCleanedAtMs().isPresent() && status.dirtyRatio() == 0.0
                && CompactedRecords.readAll(log).size() < 300 / 2;
    }

    private static Properties idempotent() {
        Properties props = new Properties();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }

    private List<ConsumerRecord<String, String>> consumeFrom(long offset) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = kafka.consumer(new Properties())) {
            consumer.assign(List.of(TABLE));
            consumer.seek(TABLE, offset);
            long end = consumer.endOffsets(List.of(TABLE)).get(TABLE);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (consumer.position(TABLE) < end && System.nanoTime() < deadline)
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }
}
