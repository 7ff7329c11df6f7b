package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.topic.NewTopic;
import dev.tributary.broker.txn.TransactionCoordinatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stock kafka-clients transactions against a real broker: commit, abort, fencing by a second producer with the same
 * transactional id, sendOffsetsToTransaction, and what read_committed and read_uncommitted consumers see of them —
 * exactly what Kafka's consumers would. The broker finalizes {@code transaction.version} 2 (kafka-clients 4.x's
 * KIP-890 part 2: implicit adds, an epoch bump at every EndTxn); {@link KafkaTransactionsVersion1Test} runs every
 * scenario again at 1 (explicit AddPartitionsToTxn and AddOffsetsToTxn, verified by the partition leader, as 3.x
 * clients use them).
 */
class KafkaTransactionsTest {

    /** The {@code transaction.version} the broker finalizes; {@link KafkaTransactionsVersion1Test} says 1. */
    short transactionVersion() {
        return 2;
    }

    private static final String TOPIC = "payments";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;

    @BeforeEach
    void start() {
        kafka = new RunningKafkaBroker(BrokerConfig.embedded(dataDir).withTransactions(
                TransactionCoordinatorConfig.defaults().withTransactionVersion(transactionVersion())),
                KafkaListenerConfig.of("127.0.0.1", 0));
        kafka.broker.topicAdministration().create(new NewTopic(TOPIC, 1, (short) 1, Map.of()));
        kafka.broker.topicAdministration().create(new NewTopic("copies", 1, (short) 1, Map.of()));
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    private KafkaProducer<String, String> transactional(String transactionalId) {
        return kafka.transactionalProducer(transactionalId);
    }

    private List<String> readAll(String topic, IsolationLevel isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
        try (KafkaConsumer<String, String> consumer = kafka.consumer(props)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (consumer.position(tp) < end) {
                assertTrue(System.nanoTime() < deadline, "reached " + consumer.position(tp) + " of " + end);
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200)))
                    values.add(record.value());
            }
            return values;
        }
    }

    @Test
    void committedRecordsAreSeenByBothIsolationLevelsAndAbortedOnlyByReadUncommitted() {
        try (KafkaProducer<String, String> producer = transactional("tx-1")) {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, "k", "committed-1"));
            producer.send(new ProducerRecord<>(TOPIC, "k", "committed-2"));
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, "k", "aborted-1"));
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, "k", "committed-3"));
            producer.commitTransaction();
        }
        assertEquals(List.of("committed-1", "committed-2", "committed-3"), readAll(TOPIC, IsolationLevel.READ_COMMITTED));
        assertEquals(List.of("committed-1", "committed-2", "aborted-1", "committed-3"),
                readAll(TOPIC, IsolationLevel.READ_UNCOMMITTED));
    }

    @Test
    void anOpenTransactionIsInvisibleToReadCommittedUntilItCommits() throws Exception {
        try (KafkaProducer<String, String> producer = transactional("tx-open");
             Admin admin = kafka.admin()) {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, "k", "pending")).get();
            assertEquals(0, endOffset(admin, IsolationLevel.READ_COMMITTED), "the LSO is held at the open transaction");
            assertEquals(1, endOffset(admin, IsolationLevel.READ_UNCOMMITTED));
            assertEquals(List.of(), readAll(TOPIC, IsolationLevel.READ_COMMITTED));
            producer.commitTransaction();
            assertEquals(2, endOffset(admin, IsolationLevel.READ_COMMITTED), "record and commit marker");
            assertEquals(List.of("pending"), readAll(TOPIC, IsolationLevel.READ_COMMITTED));
        }
    }

    private static long endOffset(Admin admin, IsolationLevel isolation) throws Exception {
        ListOffsetsResult result = admin.listOffsets(Map.of(TP, OffsetSpec.latest()),
                new org.apache.kafka.clients.admin.ListOffsetsOptions(isolation));
        return result.partitionResult(TP).get().offset();
    }

    @Test
    void aSecondProducerWithTheSameIdFencesTheFirstAndAbortsItsTransaction() {
        KafkaProducer<String, String> first = transactional("tx-fence");
        try {
            first.beginTransaction();
            first.send(new ProducerRecord<>(TOPIC, "k", "zombie"));
            first.flush();
            try (KafkaProducer<String, String> second = transactional("tx-fence")) {
                second.beginTransaction();
                second.send(new ProducerRecord<>(TOPIC, "k", "survivor"));
                second.commitTransaction();
            }
            // The zombie's next write is refused by the partition (INVALID_PRODUCER_EPOCH, an abortable error for
            // the client), and its attempt to abort is refused by the coordinator: it is fenced for good.
            assertThrows(KafkaException.class, () -> {
                first.send(new ProducerRecord<>(TOPIC, "k", "late"));
                first.commitTransaction();
            });
            assertThrows(ProducerFencedException.class, first::abortTransaction);
        } finally {
            first.close(Duration.ZERO);
        }
        assertEquals(List.of("survivor"), readAll(TOPIC, IsolationLevel.READ_COMMITTED));
    }

    @Test
    void offsetsSentToATransactionAreCommittedWithIt() throws Exception {
        kafka.produceNumbered(TOPIC, 0, 10);
        String group = "copier";
        try (KafkaProducer<String, String> producer = transactional("tx-offsets");
             Admin admin = kafka.admin()) {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("copies", "k", "copy-of-0..4"));
            producer.sendOffsetsToTransaction(Map.of(TP, new OffsetAndMetadata(5)),
                    new ConsumerGroupMetadata(group));
            producer.abortTransaction();
            assertTrue(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().isEmpty(),
                    "aborted offsets are dropped");

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("copies", "k", "copy-of-0..6"));
            producer.sendOffsetsToTransaction(Map.of(TP, new OffsetAndMetadata(7)),
                    new ConsumerGroupMetadata(group));
            producer.commitTransaction();
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            assertEquals(7, committed.get(TP).offset());
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = kafka.groupMember(group, "c", props)) {
            consumer.subscribe(Set.of(TOPIC));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (values.size() < 3 && System.nanoTime() < deadline)
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            assertEquals(List.of("value-7", "value-8", "value-9"), values, "the group resumes at the committed 7");
        }
        assertEquals(List.of("copy-of-0..6"), readAll("copies", IsolationLevel.READ_COMMITTED));
    }

    /**
     * Exactly-once consumption with the consumer group protocol of KIP-848 (what Kafka Streams does with
     * {@code group.protocol=consumer}): the producer commits offsets for the member with its current epoch; an
     * epoch the member no longer has is refused.
     */
    @Test
    void offsetsOfAConsumerProtocolMemberAreCommittedWithItsTransaction() throws Exception {
        kafka.produceNumbered(TOPIC, 0, 10);
        String group = "kip848-copier";
        try (KafkaConsumer<String, String> consumer = kafka.consumerProtocolMember(group, "member",
                new Properties());
             KafkaProducer<String, String> producer = transactional("tx-kip848");
             Admin admin = kafka.admin()) {
            consumer.subscribe(Set.of(TOPIC));
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (seen.size() < 10 && System.nanoTime() < deadline)
                consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
            assertEquals(10, seen.size(), "the member was assigned the partition and read it");
            ConsumerGroupMetadata member = consumer.groupMetadata();
            assertTrue(member.generationId() > 0, "a member epoch: " + member);

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("copies", "k", "copy-of-0..9"));
            producer.sendOffsetsToTransaction(Map.of(TP, new OffsetAndMetadata(10)), member);
            producer.commitTransaction();
            assertEquals(10, admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(TP)
                    .offset());

            producer.beginTransaction();
            ConsumerGroupMetadata stale = new ConsumerGroupMetadata(group, member.generationId() + 7,
                    member.memberId(), member.groupInstanceId());
            assertThrows(KafkaException.class, () -> {
                producer.sendOffsetsToTransaction(Map.of(TP, new OffsetAndMetadata(3)), stale);
                producer.commitTransaction();
            }, "an epoch the member does not have");
        }
    }
}
