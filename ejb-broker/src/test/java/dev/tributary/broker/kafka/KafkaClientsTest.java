package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stock kafka-clients 4.4 producer, consumer and admin against the listener. */
class KafkaClientsTest {

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;

    @BeforeEach
    void start() {
        kafka = new RunningKafkaBroker(dataDir);
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    @Test
    void producedRecordsAreConsumedInOrderWithEveryCompressionAndAcks() throws Exception {
        createTopic("orders", 2);
        List<ProducerRecord<String, String>> sent = new ArrayList<>();
        // Default settings: idempotent, acks=all. Then acks=1 and acks=0 (which need idempotence off).
        String[][] variants = {
                {"all", "true", "none"}, {"all", "true", "gzip"}, {"all", "true", "snappy"},
                {"1", "false", "lz4"}, {"1", "false", "zstd"}, {"0", "false", "none"}};
        for (String[] variant : variants) {
            Properties props = new Properties();
            if (!variant[1].equals("true")) {
                props.put(ProducerConfig.ACKS_CONFIG, variant[0]);
                props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, variant[1]);
            }
            props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, variant[2]);
            props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            try (KafkaProducer<String, String> producer = kafka.producer(props)) {
                List<Future<RecordMetadata>> acks = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    ProducerRecord<String, String> record = new ProducerRecord<>("orders", i % 2,
                            "key-" + variant[2] + "-" + i, "value-" + String.join("/", variant) + "-" + i);
                    record.headers().add(new RecordHeader("codec", variant[2].getBytes(StandardCharsets.UTF_8)));
                    record.headers().add(new RecordHeader("n", Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
                    sent.add(record);
                    acks.add(producer.send(record));
                }
                producer.flush();
                for (Future<RecordMetadata> ack : acks) {
                    RecordMetadata metadata = ack.get();
                    if (!variant[0].equals("0"))
                        assertTrue(metadata.offset() >= 0, "acks=" + variant[0] + " reports the offset");
                }
            }
        }

        try (KafkaConsumer<String, String> consumer = kafka.consumer(new Properties())) {
            TopicPartition p0 = new TopicPartition("orders", 0);
            TopicPartition p1 = new TopicPartition("orders", 1);
            consumer.assign(List.of(p0, p1));
            assertEquals(Map.of(p0, 0L, p1, 0L), consumer.beginningOffsets(List.of(p0, p1)));
            long expectedPerPartition = sent.size() / 2;
            Map<TopicPartition, Long> expectedEnds = Map.of(p0, expectedPerPartition, p1, expectedPerPartition);
            // acks=0 sends are never acknowledged: the last of them may still be on their way into the log.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Map<TopicPartition, Long> ends = consumer.endOffsets(List.of(p0, p1));
            while (!ends.equals(expectedEnds) && System.nanoTime() < deadline)
                ends = consumer.endOffsets(List.of(p0, p1));
            assertEquals(expectedEnds, ends);
            consumer.seekToBeginning(List.of(p0, p1));
            List<ConsumerRecord<String, String>> received = pollUntil(consumer, sent.size());

            for (int partition = 0; partition < 2; partition++) {
                int p = partition;
                List<ProducerRecord<String, String>> expected = sent.stream().filter(r -> r.partition() == p).toList();
                List<ConsumerRecord<String, String>> actual =
                        received.stream().filter(r -> r.partition() == p).toList();
                assertEquals(expected.size(), actual.size());
                for (int i = 0; i < expected.size(); i++) {
                    assertEquals(i, actual.get(i).offset());
                    assertEquals(expected.get(i).key(), actual.get(i).key());
                    assertEquals(expected.get(i).value(), actual.get(i).value());
                    assertEquals(List.of(expected.get(i).headers().toArray()),
                            List.of(actual.get(i).headers().toArray()));
                }
            }
        }
    }

    @Test
    void consumerSeeksByOffsetAndTimestamp() throws Exception {
        createTopic("events", 1);
        TopicPartition tp = new TopicPartition("events", 0);
        long base = System.currentTimeMillis() - 100_000;
        try (KafkaProducer<String, String> producer = kafka.producer(new Properties())) {
            for (int i = 0; i < 10; i++)
                producer.send(new ProducerRecord<>("events", 0, base + i * 1000L, "k" + i, "v" + i)).get();
        }
        try (KafkaConsumer<String, String> consumer = kafka.consumer(new Properties())) {
            consumer.assign(List.of(tp));
            Map<TopicPartition, OffsetAndTimestamp> byTime = consumer.offsetsForTimes(Map.of(tp, base + 4500));
            assertEquals(5, byTime.get(tp).offset());
            assertEquals(base + 5000, byTime.get(tp).timestamp());
            assertNull(consumer.offsetsForTimes(Map.of(tp, base + 60_000)).get(tp), "no record that late");

            consumer.seek(tp, byTime.get(tp).offset());
            List<ConsumerRecord<String, String>> fromFive = pollUntil(consumer, 5);
            assertEquals(List.of("v5", "v6", "v7", "v8", "v9"), fromFive.stream().map(ConsumerRecord::value).toList());

            consumer.seek(tp, 8);
            assertEquals(List.of("v8", "v9"), pollUntil(consumer, 2).stream().map(ConsumerRecord::value).toList());
        }
        try (Admin admin = kafka.admin()) {
            var maxTimestamp = admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.maxTimestamp()))
                    .partitionResult(tp).get();
            assertEquals(9, maxTimestamp.offset());
            assertEquals(base + 9000, maxTimestamp.timestamp());
        }
    }

    @Test
    void adminManagesTopics() throws Exception {
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("a", 3, (short) 1),
                    new NewTopic("b", 1, (short) 1).configs(Map.of("retention.ms", "3600000")))).all().get();
            assertEquals(Set.of("a", "b"), admin.listTopics().names().get());

            TopicDescription a = admin.describeTopics(List.of("a")).allTopicNames().get().get("a");
            assertEquals(3, a.partitions().size());
            assertEquals(0, a.partitions().get(2).leader().id());
            assertEquals(kafka.kafka.port(), a.partitions().get(2).leader().port());
            assertEquals(kafka.broker.topicMetadata().describe("a").topicId(), a.topicId());

            Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "b")))
                    .all().get().values().iterator().next();
            assertEquals("3600000", config.get("retention.ms").value());

            assertCause(TopicExistsException.class,
                    () -> admin.createTopics(List.of(new NewTopic("a", 1, (short) 1))).all().get());
            assertCause(InvalidReplicationFactorException.class,
                    () -> admin.createTopics(List.of(new NewTopic("c", 1, (short) 3))).all().get());
            assertCause(InvalidPartitionsException.class,
                    () -> admin.createTopics(List.of(new NewTopic("c", 0, (short) 1))).all().get());
            assertCause(InvalidTopicException.class,
                    () -> admin.createTopics(List.of(new NewTopic("bad/name", 1, (short) 1))).all().get());
            assertCause(InvalidConfigurationException.class, () -> admin.createTopics(List.of(
                    new NewTopic("c", 1, (short) 1).configs(Map.of("retention.ms", "soon")))).all().get());
            admin.createTopics(List.of(new NewTopic("c", 1, (short) 1)),
                    new CreateTopicsOptions().validateOnly(true)).all().get();
            assertEquals(Set.of("a", "b"), admin.listTopics().names().get(), "validateOnly creates nothing");

            assertEquals(1, admin.describeCluster().nodes().get().size());
            assertEquals(0, admin.describeCluster().controller().get().id());

            admin.deleteTopics(List.of("a")).all().get();
            assertEquals(Set.of("b"), admin.listTopics().names().get());
            assertCause(UnknownTopicOrPartitionException.class,
                    () -> admin.deleteTopics(List.of("a")).all().get());
            assertCause(UnknownTopicOrPartitionException.class,
                    () -> admin.describeTopics(List.of("a")).allTopicNames().get());
        }
    }

    private void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    static List<ConsumerRecord<String, String>> pollUntil(KafkaConsumer<String, String> consumer, int count) {
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (received.size() < count && System.nanoTime() < deadline)
            consumer.poll(Duration.ofMillis(500)).forEach(received::add);
        assertEquals(count, received.size(), "records received within 30 s");
        return received;
    }

    static void assertCause(Class<? extends Throwable> expected, ExecutionCall call) {
        ExecutionException e = assertThrows(ExecutionException.class, call::run);
        assertInstanceOf(expected, e.getCause(), () -> "cause: " + e.getCause());
    }

    @FunctionalInterface
    interface ExecutionCall {
        void run() throws Exception;
    }
}
