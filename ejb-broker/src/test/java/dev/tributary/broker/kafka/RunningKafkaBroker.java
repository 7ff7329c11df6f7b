package dev.tributary.broker.kafka;

import dev.tributary.broker.group.GroupCoordinatorConfig;
import dev.tributary.broker.log.CleanerConfig;
import dev.tributary.broker.server.Broker;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.testing.Conditions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real broker with the Kafka listener on 127.0.0.1 and an ephemeral port, plus stock clients for it. Public for the
 * tests of the frameworks built on the clients (Kafka Streams, Kafka Connect) in packages of their own.
 */
public final class RunningKafkaBroker implements AutoCloseable {

    public final Broker broker;
    public final KafkaServer kafka;

    RunningKafkaBroker(Path dataDir) {
        this(dataDir, KafkaListenerConfig.of("127.0.0.1", 0));
    }

    RunningKafkaBroker(Path dataDir, KafkaListenerConfig config) {
        this(BrokerConfig.embedded(dataDir), config);
    }

    public RunningKafkaBroker(BrokerConfig brokerConfig, KafkaListenerConfig config) {
        this(brokerConfig, config, Clock.systemUTC());
    }

    /** A broker on {@code clock}, e.g. one behind the tools' clock so that its records look old to them. */
    RunningKafkaBroker(BrokerConfig brokerConfig, KafkaListenerConfig config, Clock clock) {
        this.broker = Broker.start(brokerConfig, clock);
        try {
            this.kafka = KafkaServer.start(broker, config, Executors.defaultThreadFactory());
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /**
     * A broker for the tests of frameworks that form groups and rely on compaction (Kafka Streams, Kafka Connect),
     * set as Kafka's own integration tests set theirs: groups form without the 3 s initial rebalance delay, and the
     * cleaner looks for dirty logs every 50 ms instead of every 15 s.
     */
    public static RunningKafkaBroker withPromptGroupsAndCleaner(Path dataDir) {
        return new RunningKafkaBroker(BrokerConfig.embedded(dataDir)
                .withGroups(GroupCoordinatorConfig.defaults().withInitialRebalanceDelayMs(0))
                .withCleaner(new CleanerConfig(1, 4L << 20, Double.MAX_VALUE, 50)),
                KafkaListenerConfig.of("127.0.0.1", 0));
    }

    public String bootstrap() {
        return "127.0.0.1:" + kafka.port();
    }

    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        return Admin.create(props);
    }

    public KafkaProducer<String, String> producer(Properties overrides) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        props.putAll(overrides);
        return new KafkaProducer<>(props);
    }

    /** A producer with {@code transactionalId}, its transactions initialised. */
    KafkaProducer<String, String> transactionalProducer(String transactionalId) {
        Properties props = new Properties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        KafkaProducer<String, String> producer = producer(props);
        producer.initTransactions();
        return producer;
    }

    public KafkaConsumer<String, String> consumer(Properties overrides) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        props.putAll(overrides);
        return new KafkaConsumer<>(props);
    }

    /**
     * A consumer for {@code groupId}, not yet subscribed, with the group settings the group tests share: reading
     * from the earliest offset when nothing is committed, a 10 s session, heartbeats every 500 ms.
     */
    KafkaConsumer<String, String> groupMember(String groupId, String clientId, Properties overrides) {
        Properties props = new Properties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
        props.putAll(overrides);
        return consumer(props);
    }

    /**
     * A consumer for {@code groupId} with the consumer group protocol of KIP-848 ({@code group.protocol=consumer}),
     * not yet subscribed, reading from the earliest offset when nothing is committed. The broker, not the client,
     * sets its session timeout and heartbeat interval.
     */
    KafkaConsumer<String, String> consumerProtocolMember(String groupId, String clientId, Properties overrides) {
        Properties props = new Properties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putAll(overrides);
        return consumer(props);
    }

    /**
     * Every record of {@code partition}, from its log start to its end offset as of now, read by {@code consumer}
     * (assigned to it here). A record the client cannot decode, a bad CRC say, fails the poll and so the caller.
     */
    public static List<ConsumerRecord<String, String>> readToEnd(KafkaConsumer<String, String> consumer,
                                                         TopicPartition partition) {
        List<ConsumerRecord<String, String>> all = new ArrayList<>();
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        Conditions.await("consumed " + partition + " to " + end, () -> {
            consumer.poll(Duration.ofMillis(100)).forEach(all::add);
            return consumer.position(partition) >= end;
        }, () -> all.size() + " records so far");
        return all;
    }

    /** Every record of {@code partition} as of now, read from its log start by a consumer of its own. */
    public List<ConsumerRecord<String, String>> readToEnd(TopicPartition partition) {
        try (KafkaConsumer<String, String> consumer = consumer(new Properties())) {
            return readToEnd(consumer, partition);
        }
    }

    /** Produces records {@code key-i}/{@code value-i} for i in [from, from + count), default partitioning. */
    void produceNumbered(String topic, int from, int count) {
        try (KafkaProducer<String, String> producer = producer(new Properties())) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i));
            }
            producer.flush();
        }
    }

    @Override
    public void close() {
        try {
            kafka.close();
        } finally {
            broker.close();
        }
    }
}
