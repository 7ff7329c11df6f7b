package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.topic.NewTopic;
import dev.tributary.broker.topic.PartitionState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.tools.ConsoleProducer;
import org.apache.kafka.tools.ConsumerPerformance;
import org.apache.kafka.tools.ProducerPerformance;
import org.apache.kafka.tools.consumer.ConsoleConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's own producing and consuming tools, run in-process against the listener: {@code kafka-producer-perf-test.sh},
 * {@code kafka-consumer-perf-test.sh}, {@code kafka-console-producer.sh} and {@code kafka-console-consumer.sh}.
 */
class ProducerConsumerToolsTest {

    @TempDir
    static Path dataDir;

    private static RunningKafkaBroker kafka;

    @BeforeAll
    static void start() {
        kafka = new RunningKafkaBroker(dataDir);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void performanceToolsProduceAndConsumeEveryRecord() {
        kafka.broker.topicAdministration().create(new NewTopic("perf", 3, (short) 1, Map.of()));

        String produced = InProcessTool.run(ProducerPerformance::main, "--bootstrap-server", kafka.bootstrap(),
                "--topic", "perf", "--num-records", "2000", "--record-size", "100", "--throughput", "-1",
                "--command-property", "linger.ms=5").assertSucceeded().out();
        Matcher summary = Pattern.compile("(?m)^(\\d+) records sent, .* \\(([\\d.]+) MB/sec\\), .* ms avg latency")
                .matcher(produced);
        assertTrue(summary.find(), produced);
        assertEquals("2000", summary.group(1), produced);
        assertEquals(2000, logEndOffsets("perf"), "every record acknowledged is in a log");

        String consumed = InProcessTool.run(ConsumerPerformance::main, "--bootstrap-server", kafka.bootstrap(),
                "--topic", "perf", "--messages", "2000", "--group", "perf-readers", "--timeout", "30000",
                "--hide-header").assertSucceeded().out();
        // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, ...
        String[] columns = consumed.strip().lines().reduce((first, last) -> last).orElseThrow().split(",\\s*");
        assertEquals("2000", columns[4], consumed);
        assertEquals(2000 * 100 / (1024.0 * 1024.0), Double.parseDouble(columns[2]), 0.0001, consumed);
    }

    @Test
    void consoleProducerWritesLinesThatTheConsoleConsumerPrints() {
        kafka.broker.topicAdministration().create(new NewTopic("console", 1, (short) 1, Map.of()));

        InProcessTool.runWithInput(ConsoleProducer::main, "alice:first line\nbob:second line\nalice:third line\n",
                "--bootstrap-server", kafka.bootstrap(), "--topic", "console",
                "--reader-property", "parse.key=true", "--reader-property", "key.separator=:").assertSucceeded();

        InProcessTool.Result printed = InProcessTool.run(ConsoleConsumer::main, "--bootstrap-server",
                kafka.bootstrap(), "--topic", "console", "--from-beginning", "--max-messages", "3",
                "--timeout-ms", "30000", "--group", "console-readers",
                "--formatter-property", "print.key=true", "--formatter-property", "key.separator=|",
                "--formatter-property", "print.offset=true").assertSucceeded();
        assertEquals(List.of("Offset:0|alice|first line", "Offset:1|bob|second line", "Offset:2|alice|third line"),
                printed.out().lines().toList(), printed::toString);
        assertTrue(printed.err().contains("Processed a total of 3 messages"), printed::toString);
    }

    private static long logEndOffsets(String topic) {
        return kafka.broker.topicMetadata().describe(topic).partitions().stream()
                .mapToLong(PartitionState::logEndOffset).sum();
    }
}
