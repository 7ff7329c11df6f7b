package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka transactions on the deployed broker (Payara Micro) across a kill -9: a committed transaction survives it,
 * a transaction open when the process died is never visible to a read_committed consumer — aborted by the restarted
 * broker's coordinator when the producer's next instance fences it — and the new instance's transactions commit.
 */
class KafkaTransactionsIT {

    private static final String TOPIC = "ledger";
    private static final String TRANSACTIONAL_ID = "ledger-writer";

    private static MicroBroker broker;

    @BeforeAll
    static void startBroker() {
        Path work = ItEnvironment.workDir("kafka-transactions");
        broker = MicroBroker.start(work.resolve("data"), work.resolve("broker.log"));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void anOpenTransactionIsNeverVisibleAfterTheBrokerIsKilled() throws Exception {
        try (Admin admin = Admin.create(adminConfig())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        KafkaProducer<String, String> doomed = producer();
        doomed.initTransactions();
        doomed.beginTransaction();
        for (int i = 0; i < 100; i++)
            doomed.send(new ProducerRecord<>(TOPIC, "k" + i, "committed-" + i));
        doomed.commitTransaction();
        doomed.beginTransaction();
        for (int i = 0; i < 100; i++)
            doomed.send(new ProducerRecord<>(TOPIC, "k" + i, "open-" + i));
        doomed.flush(); // written to the partitions, never committed

        broker.kill();
        doomed.close(Duration.ZERO);
        broker.restart();

        try (KafkaProducer<String, String> next = producer()) {
            next.initTransactions(); // fences the dead instance: its open transaction is aborted
            next.beginTransaction();
            for (int i = 0; i < 50; i++)
                next.send(new ProducerRecord<>(TOPIC, "k" + i, "after-" + i));
            next.commitTransaction();
        }
        List<String> values = read("read_committed", 150);
        assertEquals(150, values.size(), values::toString);
        assertTrue(values.stream().noneMatch(v -> v.startsWith("open-")), values::toString);
        assertEquals(100, values.stream().filter(v -> v.startsWith("committed-")).count());
        assertEquals(50, values.stream().filter(v -> v.startsWith("after-")).count());
        // The open transaction's records did reach the log before the kill: it is the abort that hides them.
        List<String> uncommitted = read("read_uncommitted", 250);
        assertEquals(100, uncommitted.stream().filter(v -> v.startsWith("open-")).count(), uncommitted::toString);
    }

    private static KafkaProducer<String, String> producer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.kafkaBootstrap());
        config.putAll(ItEnvironment.kafkaLogin());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "120000");
        return new KafkaProducer<>(config);
    }

    /**
     * What a consumer of {@code isolation} reads from the start: polls until it has {@code expected} records (60 s
     * at most), then on to the partitions' ends as it sees them then (read_committed: the last stable offsets), so
     * that anything beyond {@code expected} that is visible is read too.
     */
    private static List<String> read(String isolation, int expected) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.kafkaBootstrap());
        config.putAll(ItEnvironment.kafkaLogin());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (values.size() < expected && System.nanoTime() < deadline)
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && System.nanoTime() < deadline)
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
        }
        return values;
    }

    private static Properties adminConfig() {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.kafkaBootstrap());
        config.putAll(ItEnvironment.kafkaLogin());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        return config;
    }
}
