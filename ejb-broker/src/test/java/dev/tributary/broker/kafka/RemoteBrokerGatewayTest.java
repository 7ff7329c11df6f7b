package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.topic.NewTopic;
import dev.tributary.jca.api.ConsumedRecord;
import dev.tributary.jca.api.OutgoingRecord;
import dev.tributary.jca.api.RecordMetadata;
import dev.tributary.jca.remote.RemoteBrokerGateway;
import dev.tributary.jca.spi.FetchedRecords;
import dev.tributary.jca.spi.GroupSession;
import dev.tributary.jca.spi.GroupSubscription;
import dev.tributary.jca.spi.PartitionId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resource adapter's remote mode ({@code bootstrapServers}) against this broker's Kafka listener: what the
 * adapter's connections and activations rely on, over the wire instead of in-VM.
 */
class RemoteBrokerGatewayTest {

    private static final String TOPIC = "remote-orders";
    private static final String GROUP = "remote-mdb";
    private static final Duration JOIN = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;
    private RemoteBrokerGateway gateway;

    @BeforeEach
    void start() {
        kafka = new RunningKafkaBroker(dataDir);
        kafka.broker.topicAdministration().create(new NewTopic(TOPIC, 2, (short) 1, Map.of()));
        gateway = new RemoteBrokerGateway(kafka.bootstrap());
    }

    @AfterEach
    void stop() {
        try {
            gateway.close();
        } finally {
            kafka.close();
        }
    }

    @Test
    void aKeyedSendLandsWhereKafkasDefaultPartitionerPutsTheKeyAndReadsBackWithItsHeaders() throws Exception {
        RecordMetadata sent = gateway.append(OutgoingRecord.builder().topic(TOPIC).key("customer-7")
                .value("first").header("source", "web".getBytes(StandardCharsets.UTF_8)).build());

        int stockPartition;
        try (KafkaProducer<String, String> producer = kafka.producer(new Properties())) {
            stockPartition = producer.send(new ProducerRecord<>(TOPIC, "customer-7", "second")).get().partition();
        }
        assertEquals(stockPartition, sent.partition());
        assertEquals(stockPartition, gateway.partitionFor(OutgoingRecord.builder().topic(TOPIC).key("customer-7")
                .value("third").build()));
        assertEquals(0, sent.offset());

        try (GroupSession session = gateway.joinGroup(subscription())) {
            session.ensureActive(JOIN);
            FetchedRecords fetched = session.fetch(new PartitionId(TOPIC, sent.partition()), 0, 10,
                    Duration.ofSeconds(5));
            ConsumedRecord first = fetched.records().get(0);
            assertEquals("customer-7", first.key());
            assertEquals("first", first.valueAsString());
            assertArrayEquals("web".getBytes(StandardCharsets.UTF_8), first.headers().get(0).getValue());
            assertEquals(2, fetched.records().size());
            assertEquals(2, fetched.nextOffset());
        }
    }

    @Test
    void recordsTheRemoteBrokerRefusesFailAsInvalidRecords() {
        assertThrows(IllegalArgumentException.class, () -> gateway.partitionFor(
                OutgoingRecord.builder().topic(TOPIC).partition(5).value("x").build()));
        assertThrows(IllegalArgumentException.class, () -> gateway.append(
                OutgoingRecord.builder().topic(TOPIC).partition(5).value("x").build()));
    }

    @Test
    void aTransactionCommitsInOnePhaseOnlyAndTwoPhaseCommitIsRefusedNamingWhy() {
        List<OutgoingRecord> records = List.of(
                OutgoingRecord.builder().topic(TOPIC).partition(0).value("a").build(),
                OutgoingRecord.builder().topic(TOPIC).partition(1).value("b").build(),
                OutgoingRecord.builder().topic(TOPIC).partition(0).value("c").build());

        UnsupportedOperationException refused = assertThrows(UnsupportedOperationException.class,
                () -> gateway.prepare("tx-1", records));
        assertTrue(refused.getMessage().contains("Two-phase (XA) commit needs the broker in this server's JVM"));
        assertEquals(List.of(), gateway.preparedTransactions());
        assertEquals(0, kafka.broker.hostedReplicas().leaderLog(TOPIC, 0).logEndOffset(),
                "a refused prepare writes nothing");

        List<RecordMetadata> landed = gateway.commitOnePhase(records);
        assertEquals(List.of(0L, 0L, 1L), landed.stream().map(RecordMetadata::offset).toList());
        assertEquals(List.of(0, 1, 0), landed.stream().map(RecordMetadata::partition).toList());
    }

    @Test
    void anActivationSharesItsGroupWithAKafkaConsumerCommitsWhatWasDeliveredAndLeavesAtOnce() throws Exception {
        kafka.produceNumbered(TOPIC, 0, 20);
        GroupSession session = gateway.joinGroup(subscription());
        Set<PartitionId> alone = session.ensureActive(JOIN);
        assertEquals(Set.of(new PartitionId(TOPIC, 0), new PartitionId(TOPIC, 1)), alone);
        assertEquals(Map.of(new PartitionId(TOPIC, 0), 0L, new PartitionId(TOPIC, 1), 0L),
                session.startOffsets(alone));

        PartitionId p0 = new PartitionId(TOPIC, 0);
        FetchedRecords fetched = session.fetch(p0, 0, 3, Duration.ofSeconds(5));
        assertEquals(List.of(0L, 1L, 2L), fetched.records().stream().map(ConsumedRecord::offset).toList());
        assertTrue(session.commit(p0, 3));
        assertTrue(session.heartbeat(() -> { }), "a heartbeat sends the pending commit");
        assertEquals(3, committed(p0));

        // A stock consumer joins the same group: the activation stops its deliveries before giving partitions up.
        GroupMember other = new GroupMember();
        other.start();
        AtomicBoolean deliveriesStopped = new AtomicBoolean();
        awaitTrue(() -> !session.heartbeat(() -> deliveriesStopped.set(true)));
        assertTrue(deliveriesStopped.get());
        Set<PartitionId> shared = session.ensureActive(JOIN);
        awaitTrue(() -> other.assignment().size() == 1);
        assertEquals(1, shared.size());
        assertFalse(shared.contains(toId(other.assignment().iterator().next())), "each partition has one owner");
        PartitionId notOwned = toId(other.assignment().iterator().next());
        assertFalse(session.commit(notOwned, 10), "no commit for a partition another member owns");

        // Closing leaves the group: the other member gets every partition long before a session timeout.
        session.close();
        awaitTrue(() -> other.assignment().size() == 2);
        other.finish();
    }

    @Test
    void asAUserTheGatewayAuthenticatesWithScramWhereTheBrokersAskForIt() throws Exception {
        try (RunningKafkaBroker secured = new RunningKafkaBroker(dataDir.resolve("secured"),
                KafkaListenerConfig.of("127.0.0.1", 0).withSaslMechanisms(List.of("SCRAM-SHA-512")));
             RemoteBrokerGateway anonymous = new RemoteBrokerGateway(secured.bootstrap())) {
            secured.broker.topicAdministration().create(new NewTopic(TOPIC, 1, (short) 1, Map.of()));
            secured.broker.users().save("alice", "alice-secret-1", java.util.Set.of());
            OutgoingRecord record = OutgoingRecord.builder().topic(TOPIC).value("as alice").build();
            RecordMetadata sent = anonymous.as("alice", "alice-secret-1".toCharArray()).append(record);
            assertSame(anonymous.as("alice", "alice-secret-1".toCharArray()),
                    anonymous.as("alice", "alice-secret-1".toCharArray()), "one set of clients per user, not per ask");
            assertEquals(0, sent.offset());
            try (GroupSession session = anonymous.as("alice", "alice-secret-1".toCharArray())
                    .joinGroup(subscription())) {
                assertEquals(1, session.ensureActive(JOIN).size());
            }
            assertThrows(RuntimeException.class, () -> anonymous.as("alice", "wrong-password".toCharArray())
                    .append(record), "refused by the brokers");
        }
    }

    private GroupSubscription subscription() {
        return new GroupSubscription(GROUP, List.of(TOPIC), true, "mdb-" + GROUP);
    }

    private long committed(PartitionId partition) throws ExecutionException, InterruptedException {
        TopicPartition topicPartition = new TopicPartition(partition.topic(), partition.partition());
        try (var admin = kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
            return offsets.get(topicPartition).offset();
        }
    }

    private static PartitionId toId(TopicPartition partition) {
        return new PartitionId(partition.topic(), partition.partition());
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + JOIN.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within " + JOIN);
            Thread.sleep(50);
        }
    }

    /** A stock group consumer polling on its own thread, as another application's would. */
    private final class GroupMember extends Thread {

        private final AtomicReference<Set<TopicPartition>> assignment = new AtomicReference<>(Set.of());
        private final AtomicBoolean running = new AtomicBoolean(true);

        Set<TopicPartition> assignment() {
            return assignment.get();
        }

        @Override
        public void run() {
            try (KafkaConsumer<String, String> consumer = kafka.groupMember(GROUP, "stock", new Properties())) {
                consumer.subscribe(List.of(TOPIC));
                while (running.get()) {
                    consumer.poll(Duration.ofMillis(100));
                    assignment.set(Set.copyOf(new ArrayList<>(consumer.assignment())));
                }
            }
        }

        void finish() throws InterruptedException {
            running.set(false);
            join(JOIN.toMillis());
        }
    }
}
