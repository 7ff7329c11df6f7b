package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An application still on kafka-clients 3.x against a real broker process: default (idempotent) producer, a
 * consumer group that commits, and the admin client's topic calls.
 *
 * <p>Compiled against the build's kafka-clients 4.4.0 (only API both lines share is used), run by its own
 * failsafe execution ({@value #TAG}) with 4.4.0 taken off the classpath and the 3.x jar put on; the default
 * execution excludes the tag. The first test proves which client actually ran.
 */
@Tag(KafkaClients3IT.TAG)
class KafkaClients3IT {

    /** The JUnit tag both failsafe executions select on. */
    static final String TAG = "kafka-clients-3";
    private static final String TOPIC = "legacy-orders";
    private static final int PARTITIONS = 3;

    private static MicroBroker broker;

    @BeforeAll
    static void startBroker() {
        Path work = ItEnvironment.workDir("kafka-clients-3");
        broker = MicroBroker.start(work.resolve("data"), work.resolve("broker.log"));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    /**
     * 3.x's {@code org.apache.kafka.common.utils.AppInfoParser} (4.x moved it to {@code utils.internals}, so the
     * class this compiles against has no such class: it is looked up by name).
     */
    @Test
    void theClientOnTheClasspathIsKafkaClients3() throws ReflectiveOperationException {
        String version = (String) Class.forName("org.apache.kafka.common.utils.AppInfoParser")
                .getMethod("getVersion").invoke(null);
        assertTrue(version.startsWith("3."), "this test must run with kafka-clients 3.x, not " + version);
    }

    @Test
    void producesConsumesInAGroupAndAdministersTopics() throws Exception {
        try (Admin admin = Admin.create(adminConfig())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
            TopicDescription described = admin.describeTopics(List.of(TOPIC)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(TOPIC);
            assertEquals(PARTITIONS, described.partitions().size());
            described.partitions().forEach(p -> assertEquals(0, p.leader().id(), p::toString));

            produce(0, 300);
            try (KafkaConsumer<String, String> first = groupMember()) {
                assertEquals(300, consume(first, 300));
                first.commitSync();
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("legacy-billing")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertEquals(300, committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum(),
                    committed::toString);

            produce(300, 30);
            try (KafkaConsumer<String, String> next = groupMember()) {
                assertEquals(30, consume(next, 30), "the group resumes at its committed offsets");
            }

            admin.deleteTopics(List.of(TOPIC)).all().get(30, TimeUnit.SECONDS);
            assertFalse(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(TOPIC));
        }
    }

    /** Keyed records with the producer's defaults (idempotence on, acks=all); each partition's offsets follow on. */
    private static void produce(int from, int count) throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.kafkaBootstrap());
        config.putAll(ItEnvironment.kafkaLogin());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (int i = from; i < from + count; i++) {
                sent.add(producer.send(new ProducerRecord<>(TOPIC, "customer-" + (i % 7), "order-" + i)).get());
            }
        }
        Map<Integer, Long> next = new HashMap<>();
        for (RecordMetadata metadata : sent) {
            long expected = next.getOrDefault(metadata.partition(), metadata.offset());
            assertEquals(expected, metadata.offset(), "offsets of partition " + metadata.partition() + " follow on");
            next.put(metadata.partition(), expected + 1);
        }
    }

    private static KafkaConsumer<String, String> groupMember() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.kafkaBootstrap());
        config.putAll(ItEnvironment.kafkaLogin());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "legacy-billing");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config);
        consumer.subscribe(List.of(TOPIC));
        return consumer;
    }

    /**
     * Polls until {@code expected} records arrived (each checked against its key), then a little longer to see
     * that no more come; returns how many arrived.
     */
    private static int consume(KafkaConsumer<String, String> consumer, int expected) {
        int received = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (received < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                int i = Integer.parseInt(record.value().substring("order-".length()));
                assertEquals("customer-" + (i % 7), record.key());
                received++;
            }
        }
        received += consumer.poll(Duration.ofMillis(500)).count();
        return received;
    }

    private static Map<String, Object> adminConfig() {
        return ItEnvironment.withKafkaLogin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.kafkaBootstrap()));
    }
}
