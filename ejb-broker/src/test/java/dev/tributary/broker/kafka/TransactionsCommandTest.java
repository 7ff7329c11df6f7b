package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.topic.NewTopic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.tools.TransactionsCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's own {@code kafka-transactions.sh} ({@link TransactionsCommand}) against the broker: list, describe,
 * describe-producers, find-hanging and abort. The broker runs on a clock 20 minutes behind the tool's, so that a transaction it just
 * saw open looks older than the tool's default 15-minute timeout, as a real hanging transaction would.
 */
class TransactionsCommandTest {

    private static final String TOPIC = "payments";
    /** A producer no coordinator knows: its transaction hangs until someone aborts it. */
    private static final long HANGING_PRODUCER = 424_242;

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;

    @BeforeEach
    void start() {
        kafka = new RunningKafkaBroker(BrokerConfig.embedded(dataDir), KafkaListenerConfig.of("127.0.0.1", 0),
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-20)));
        kafka.broker.topicAdministration().create(new NewTopic(TOPIC, 1, (short) 1, Map.of()));
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    @Test
    void listDescribeDescribeProducersFindHangingAndAbort() {
        Properties props = new Properties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-listed");
        try (KafkaProducer<String, String> producer = kafka.producer(props)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, "k", "committed"));
            producer.commitTransaction();
        }
        PartitionLog log = kafka.broker.hostedReplicas().leaderLog(TOPIC, 0);
        long hangingStart = log.logEndOffset();
        log.append(MemoryRecords.withTransactionalRecords(Compression.NONE, HANGING_PRODUCER, (short) 0, 0,
                new SimpleRecord("stuck".getBytes(StandardCharsets.UTF_8))));
        assertEquals(hangingStart, log.lastStableOffset());

        String listed = transactions("list").assertSucceeded().out();
        assertTrue(listed.lines().anyMatch(line -> line.contains("tx-listed") && line.contains("CompleteCommit")),
                listed);

        String described = transactions("describe", "--transactional-id", "tx-listed").assertSucceeded().out();
        assertTrue(described.contains("CompleteCommit"), described);

        String producers = transactions("describe-producers", "--topic", TOPIC, "--partition", "0")
                .assertSucceeded().out();
        assertTrue(producers.lines().anyMatch(line -> line.contains(String.valueOf(HANGING_PRODUCER))
                && line.contains(String.valueOf(hangingStart))), producers);

        String hanging = transactions("find-hanging", "--broker-id", "0").assertSucceeded().out();
        assertTrue(hanging.lines().anyMatch(line -> line.contains(String.valueOf(HANGING_PRODUCER))
                && line.contains(TOPIC)), hanging);

        transactions("abort", "--topic", TOPIC, "--partition", "0", "--start-offset", String.valueOf(hangingStart))
                .assertSucceeded();
        assertEquals(log.highWatermark(), log.lastStableOffset(), "the abort marker ended the hanging transaction");
        String after = transactions("find-hanging", "--broker-id", "0").assertSucceeded().out();
        assertFalse(after.contains(String.valueOf(HANGING_PRODUCER)), after);
    }

    private InProcessTool.Result transactions(String... args) {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", kafka.bootstrap()));
        all.addAll(Arrays.asList(args));
        return InProcessTool.run(TransactionsCommand::main, all.toArray(String[]::new));
    }
}
