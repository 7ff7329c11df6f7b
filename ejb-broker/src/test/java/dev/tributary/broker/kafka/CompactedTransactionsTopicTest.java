package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.testing.Conditions;
import dev.tributary.broker.topic.NewTopic;
import dev.tributary.broker.txn.TransactionCoordinatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compacted topic written by stock transactional KafkaProducers and read by stock read_committed and
 * read_uncommitted KafkaConsumers while the broker's cleaner compacts it: aborted records are removed and never hide
 * the committed value of their key, an open transaction holds the cleaning back at the last stable offset, and a
 * read_committed consumer reads exactly the latest committed value of every key.
 */
class CompactedTransactionsTopicTest {

    private static final String TOPIC = "table";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    @TempDir
    Path dir;
    private RunningKafkaBroker kafka;

    /** The latest committed record of each key, by offset: what read_committed must end up with. */
    private final Map<String, ConsumerRecordValue> committed = new HashMap<>();

    private record ConsumerRecordValue(long offset, String value) {
    }

    @BeforeEach
    void start() {
        kafka = new RunningKafkaBroker(BrokerConfig.embedded(dir).withCleaner(CompactedTopicTest.FAST_CLEANER)
                .withTransactions(TransactionCoordinatorConfig.defaults()), KafkaListenerConfig.of("127.0.0.1", 0));
        kafka.broker.topicAdministration().create(new NewTopic(TOPIC, 1, (short) 1, CompactedTopicTest.COMPACTED));
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    @Test
    void readCommittedSeesTheLatestCommittedValueOfEveryKeyWhileTheCleanerCompacts() throws Exception {
        List<String> writtenAfterTheOpenTransaction = new ArrayList<>();
        try (KafkaProducer<String, String> writer = transactional("writer");
             KafkaProducer<String, String> slow = transactional("slow")) {
            for (int round = 0; round < 15; round++)
                transaction(writer, round, null);
            Map<String, String> committedBeforeTheOpenTransaction = latestCommitted();

            slow.beginTransaction();
            long lso = slow.send(new ProducerRecord<>(TOPIC, 0, "key-0", "slow-open")).get().offset();
            slow.flush();
            for (int round = 15; round < 30; round++)
                transaction(writer, round, writtenAfterTheOpenTransaction);

            PartitionLog log = kafka.broker.hostedReplicas().leaderLog(TOPIC, 0);
            assertEquals(lso, log.lastStableOffset(), "the slow transaction is open");
            // The segments wholly below the last stable offset are cleaned; the one holding it waits with the rest.
            Conditions.await("the cleaner cleaned the segments below the last stable offset",
                    () -> firstDirtyOffset() > 0 && abortedBelow(log, firstDirtyOffset()) == 0,
                    () -> "first dirty offset " + firstDirtyOffset() + ", "
                            + abortedBelow(log, firstDirtyOffset()) + " aborted records below it");
            assertTrue(firstDirtyOffset() <= lso, "cleaned up to " + firstDirtyOffset() + ", not beyond " + lso);
            assertEquals(committedBeforeTheOpenTransaction, latestOf(read(IsolationLevel.READ_COMMITTED)),
                    "read_committed stops at the open transaction");
            List<ConsumerRecord<String, String>> uncommitted = read(IsolationLevel.READ_UNCOMMITTED);
            List<String> fromLso = uncommitted.stream().filter(r -> r.offset() > lso).map(ConsumerRecord::value)
                    .toList();
            assertEquals(writtenAfterTheOpenTransaction, fromLso,
                    "nothing after the open transaction was cleaned, aborted records included");

            slow.commitTransaction();
            committed.merge("key-0", new ConsumerRecordValue(lso, "slow-open"),
                    (a, b) -> a.offset() > b.offset() ? a : b);
            Conditions.await("the cleaner cleaned past the committed transaction",
                    () -> firstDirtyOffset() > lso && abortedBelow(log, firstDirtyOffset()) == 0,
                    () -> "first dirty offset " + firstDirtyOffset() + ", "
                            + abortedBelow(log, firstDirtyOffset()) + " aborted records below it");
        }
        List<ConsumerRecord<String, String>> all = read(IsolationLevel.READ_COMMITTED);
        assertEquals(latestCommitted(), latestOf(all), "read_committed after cleaning");
        assertTrue(all.size() < 30 * 5 / 2, all.size() + " records left of " + 30 * 5 / 2 + " committed");
        long cleanedUpTo = firstDirtyOffset();
        assertFalse(read(IsolationLevel.READ_UNCOMMITTED).stream()
                        .anyMatch(r -> r.offset() < cleanedUpTo && r.value().startsWith("aborted")),
                "read_uncommitted consumers no longer see the aborted records of the cleaned part either");
    }

    /** One transaction of five records over keys 0-4, committed in even rounds and aborted in odd ones. */
    private void transaction(KafkaProducer<String, String> producer, int round, List<String> written)
            throws Exception {
        boolean commit = round % 2 == 0;
        producer.beginTransaction();
        List<RecordMetadata> sent = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            String value = (commit ? "committed-" : "aborted-") + round + "-" + k;
            sent.add(producer.send(new ProducerRecord<>(TOPIC, 0, "key-" + k, value)).get());
            values.add(value);
        }
        if (commit)
            producer.commitTransaction();
        else
            producer.abortTransaction();
        if (written != null)
            written.addAll(values);
        if (!commit)
            return;
        for (int k = 0; k < 5; k++) {
            committed.merge("key-" + k, new ConsumerRecordValue(sent.get(k).offset(), values.get(k)),
                    (a, b) -> a.offset() > b.offset() ? a : b);
        }
    }

    private KafkaProducer<String, String> transactional(String transactionalId) {
        return kafka.transactionalProducer(transactionalId);
    }

    private long firstDirtyOffset() {
        return kafka.broker.topicMetadata().describe(TOPIC).partitions().get(0).cleaner().orElseThrow()
                .firstDirtyOffset();
    }

    private static long abortedBelow(PartitionLog log, long offset) {
        return CompactedRecords.readAll(log).stream()
                .filter(r -> r.offset() < offset && r.value() != null && r.value().startsWith("aborted")).count();
    }

    private Map<String, String> latestCommitted() {
        Map<String, String> latest = new HashMap<>();
        committed.forEach((key, record) -> latest.put(key, record.value()));
        return latest;
    }

    private static Map<String, String> latestOf(List<ConsumerRecord<String, String>> records) {
        Map<String, String> latest = new HashMap<>();
        long previous = -1;
        for (ConsumerRecord<String, String> record : records) {
            assertTrue(record.offset() > previous, "offsets keep their order");
            previous = record.offset();
            latest.put(record.key(), record.value());
        }
        return latest;
    }

    /** Everything a consumer with {@code isolation} reads from the start to its end offset. */
    private List<ConsumerRecord<String, String>> read(IsolationLevel isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
        try (KafkaConsumer<String, String> consumer = kafka.consumer(props)) {
            consumer.assign(List.of(TP));
            consumer.seekToBeginning(List.of(TP));
            long end = consumer.endOffsets(List.of(TP)).get(TP);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (consumer.position(TP) < end) {
                assertTrue(System.nanoTime() < deadline, "reached " + consumer.position(TP) + " of " + end);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
