package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.replication.ReplicationConfig;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.testing.Conditions;
import dev.tributary.broker.topic.PartitionLeadership;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.tools.TransactionalMessageCopier;
import org.apache.kafka.tools.VerifiableConsumer;
import org.apache.kafka.tools.VerifiableProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's own system-test tools, unchanged, as Kafka's {@code transactions_test.py} uses them: VerifiableProducer
 * writes numbered records to an input topic, TransactionalMessageCopier copies them to an output topic in
 * transactions (consume, produce, sendOffsetsToTransaction, commit; abort and rewind on any error) while brokers go
 * down, and VerifiableConsumer reads the output read_committed: every input record exactly once, none lost, none
 * twice.
 */
class TransactionalCopyTest {

    private static final int RECORDS = 6_000;
    private static final Pattern RECORD_VALUE = Pattern.compile("\"name\":\"record_data\".*\"value\":\"(\\d+)\"");

    @TempDir
    Path root;

    private RunningKafkaBroker single;
    private LocalCluster cluster;

    @AfterEach
    void stop() {
        if (single != null)
            single.close();
        if (cluster != null)
            cluster.close();
    }

    @Test
    @Timeout(180)
    void theCopyIsExactlyOnceWhileTheBrokerRestarts() throws Exception {
        Path data = root.resolve("broker");
        single = new RunningKafkaBroker(data);
        int port = single.kafka.port(); // restarts bind it again, so the clients find the broker where it was
        try (Admin admin = single.admin()) {
            admin.createTopics(List.of(new NewTopic("input", 1, (short) 1), new NewTopic("output", 1, (short) 1)))
                    .all().get();
        }
        String bootstrap = single.bootstrap();
        produceInput(bootstrap, () -> single.broker.hostedReplicas().leaderLog("input", 0).highWatermark());

        CompletableFuture<InProcessTool.Result> copy = startCopier(bootstrap);
        for (int restart = 1; restart <= 2; restart++) {
            long reached = RECORDS * restart / 3;
            awaitCommitted(() -> single.broker.hostedReplicas().leaderLog("output", 0).lastStableOffset(), reached, copy);
            single.close();
            single = new RunningKafkaBroker(BrokerConfig.embedded(data), KafkaListenerConfig.of("127.0.0.1", port));
        }
        copy.get(180, TimeUnit.SECONDS).assertSucceeded();
        assertExactlyOnce(bootstrap);
    }

    @Test
    @Timeout(180)
    void theCopyIsExactlyOnceWhenTheOutputPartitionsLeaderDies() throws Exception {
        cluster = new LocalCluster(root, 3, ReplicationConfig.defaults());
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(
                    new NewTopic("input", 1, (short) 3).configs(Map.of("min.insync.replicas", "2")),
                    new NewTopic("output", 1, (short) 3).configs(Map.of("min.insync.replicas", "2")))).all().get();
        }
        cluster.refreshAll();
        String bootstrap = cluster.bootstrap();
        produceInput(bootstrap, () -> leaderLog(cluster, "input").highWatermark());

        CompletableFuture<InProcessTool.Result> copy = startCopier(bootstrap);
        awaitCommitted(() -> leaderLog(cluster, "output").lastStableOffset(), RECORDS / 3, copy);
        int leader = cluster.any().broker.topicMetadata().leadership("output", 0).leader();
        cluster.crash(cluster.byBrokerId(leader));
        Conditions.await("the output partition has a new leader", () -> {
            PartitionLeadership now = cluster.any().broker.topicMetadata().leadership("output", 0);
            return now.hasLeader() && now.leader() != leader;
        });
        copy.get(180, TimeUnit.SECONDS).assertSucceeded();
        assertExactlyOnce(cluster.bootstrap());
    }

    private static PartitionLog leaderLog(LocalCluster cluster, String topic) {
        int leader = cluster.any().broker.topicMetadata().leadership(topic, 0).leader();
        return cluster.byBrokerId(leader).running().broker.hostedReplicas().leaderLog(topic, 0);
    }

    /**
     * VerifiableProducer writes the values 0..RECORDS-1 (it reports its last acknowledgements after it exits, so the
     * input partition's end tells when they are all written).
     */
    private static void produceInput(String bootstrap, LongSupplier inputEnd) {
        InProcessTool.run(VerifiableProducer::main, "--bootstrap-server", bootstrap, "--topic", "input",
                "--max-messages", String.valueOf(RECORDS), "--throughput", "-1", "--acks", "-1").assertSucceeded();
        Conditions.await("every input record is written", () -> readOrZero(inputEnd) == RECORDS);
    }

    /** The copier, until it has copied every input record; small transactions, so brokers die inside many. */
    private static CompletableFuture<InProcessTool.Result> startCopier(String bootstrap) {
        return CompletableFuture.supplyAsync(() -> InProcessTool.run(TransactionalMessageCopier::main,
                "--broker-list", bootstrap, "--input-topic", "input", "--input-partition", "0",
                "--output-topic", "output", "--transactional-id", "copier-0", "--consumer-group", "copier",
                "--max-messages", String.valueOf(RECORDS), "--transaction-size", "200",
                "--transaction-timeout", "30000", "--use-group-metadata"));
    }

    private static void awaitCommitted(LongSupplier committed, long reached,
                                       CompletableFuture<InProcessTool.Result> copy) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (readOrZero(committed) < reached) {
            assertFalse(copy.isDone(), () -> "the copier stopped early: " + copy.join());
            assertTrue(System.nanoTime() < deadline, "the copier did not reach " + reached);
            Thread.sleep(20);
        }
    }

    private static long readOrZero(LongSupplier committed) {
        try {
            return committed.getAsLong();
        } catch (RuntimeException leadershipMoving) {
            return 0;
        }
    }

    /** VerifiableConsumer reads the output read_committed: the input's values 0..RECORDS-1, each exactly once. */
    private void assertExactlyOnce(String bootstrap) throws IOException {
        Path config = root.resolve("read-committed.properties");
        Files.writeString(config, "isolation.level=read_committed\n");
        String consumed = InProcessTool.run(VerifiableConsumer::main, "--bootstrap-server", bootstrap,
                "--topic", "output", "--group-id", "verifier", "--max-messages", String.valueOf(RECORDS),
                "--reset-policy", "earliest", "--verbose", "--consumer.config", config.toString())
                .assertSucceeded().out();
        List<Integer> values = new ArrayList<>();
        Matcher matcher = RECORD_VALUE.matcher(consumed);
        while (matcher.find())
            values.add(Integer.parseInt(matcher.group(1)));
        Set<Integer> distinct = new HashSet<>(values);
        assertEquals(RECORDS, values.size(), "records read from the output");
        assertEquals(RECORDS, distinct.size(), "no record copied twice");
        for (int i = 0; i < RECORDS; i++)
            assertTrue(distinct.contains(i), "input record " + i + " was copied");
    }
}
