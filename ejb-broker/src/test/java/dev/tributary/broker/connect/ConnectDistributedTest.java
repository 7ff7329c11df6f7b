package dev.tributary.broker.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.kafka.RunningKafkaBroker;
import dev.tributary.broker.topic.CompactionState;
import dev.tributary.broker.testing.Conditions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Connect 4.4.0 in distributed mode, the runtime's own code with a file source and sink connector of the test
 * code ({@link LineFileSource}, {@link LineFileSink}), against the broker:
 * the workers create their config, offset and status topics themselves (compacted, as they ask), a file flows
 * through a source connector into a topic and through a sink connector out into another file, the connectors move
 * to a second worker when the first leaves, and a worker started after all have stopped gets the connectors' configs
 * back from the config topic and the source's position from the offsets topic, both compacted by the broker's
 * cleaner in between: every line reaches the topic and the output file once, in order.
 */
class ConnectDistributedTest {

    private static final String CONFIGS = "connect-configs";
    private static final String OFFSETS = "connect-offsets";
    private static final String STATUS = "connect-status";
    private static final String LINES = "lines";
    private static final String SOURCE = "file-source";
    private static final String SINK = "file-sink";
    /** How long a segment of the config and offsets topics stays active: short, for the cleaner to get at them. */
    private static final String SEGMENT_MS = "100";

    @TempDir
    Path dir;

    private RunningKafkaBroker kafka;
    private final List<ConnectWorker> workers = new ArrayList<>();

    @AfterEach
    void stop() {
        try {
            workers.forEach(ConnectWorker::close);
        } finally {
            if (kafka != null)
                kafka.close();
        }
    }

    @Test
    @Timeout(120)
    void aFileRoundTripsThroughDistributedWorkersThatStopAndRestartOverCompactedInternalTopics() throws Exception {
        kafka = RunningKafkaBroker.withPromptGroupsAndCleaner(dir.resolve("broker"));
        Path input = Files.createFile(dir.resolve("input.txt"));
        Path output = dir.resolve("output.txt");

        ConnectWorker first = startWorker();
        for (String topic : List.of(CONFIGS, OFFSETS, STATUS))
            assertTrue(kafka.broker.topicMetadata().config(topic).compact(), topic + " created compacted by Connect");
        first.putConnectorConfig(SOURCE, source(input, "100"));
        appendLines(input, 0, 50);
        awaitLinesInTopic(50);
        appendLines(input, 50, 50);
        awaitLinesInTopic(100);

        ConnectWorker second = startWorker();
        // A new config for the source (a new batch size): the first one is now an older value of its key.
        second.putConnectorConfig(SOURCE, source(input, "20"));
        second.putConnectorConfig(SINK, Map.of("connector.class", LineFileSink.class.getName(), "tasks.max", "1",
                "topics", LINES, LineFileSink.FILE, output.toString()));
        stopWorker(first);
        Conditions.await("both connectors run on the second worker",
                () -> second.running(SOURCE) && second.running(SINK)
                        && second.taskWorkers(SOURCE).equals(List.of(second.workerId()))
                        && second.taskWorkers(SINK).equals(List.of(second.workerId())),
                () -> SOURCE + ": " + second.taskWorkers(SOURCE) + " " + SINK + ": " + second.taskWorkers(SINK));
        appendLines(input, 100, 50);
        awaitLinesInTopic(150);
        appendLines(input, 150, 50);
        awaitLinesInTopic(200);
        awaitCompacted(CONFIGS, 0, () -> { });
        // An older offset of the source can only go once a newer one is out of the active segment, and a segment
        // rolls only when something is appended: more lines, a line a second, make the source commit more offsets.
        int[] lines = {200};
        long[] lastLineAt = {0};
        awaitCompacted(OFFSETS, partitionHoldingData(OFFSETS), () -> {
            if (System.nanoTime() - lastLineAt[0] > 1_000_000_000L) {
                appendLinesUnchecked(input, lines[0]++, 1);
                lastLineAt[0] = System.nanoTime();
            }
        });
        awaitLinesInTopic(lines[0]);
        stopWorker(second);

        ConnectWorker third = startWorker();
        Conditions.await("the connectors are back from the config topic and running",
                () -> third.running(SOURCE) && third.running(SINK),
                () -> SOURCE + " on " + third.taskWorkers(SOURCE) + ", " + SINK + " on " + third.taskWorkers(SINK));
        assertEquals("20", third.get("/connectors/" + SOURCE + "/config").orElseThrow().path("batch.size").asText(),
                "the source's latest config");
        int total = lines[0] + 100;
        appendLines(input, lines[0], 100);
        awaitLinesInTopic(total);
        assertEquals(expectedLines(0, total), linesInTopic(), "every line in the topic once, in order");
        Conditions.await("the sink wrote every line to the output file",
                () -> lineCount(output) >= total, () -> lineCount(output) + " lines");
        assertEquals(Files.readAllLines(input), Files.readAllLines(output), "the file round-tripped");
    }

    /**
     * A worker of the group {@code connect-cluster} with the settings of Kafka's {@code connect-distributed.properties}
     * (string converters instead of JSON ones, one replica per internal topic for the single broker) and test-speed
     * timings: offsets flushed every 200 ms, connectors of a departed worker reassigned at once, the config and
     * offsets topics rolled often so that they have something to compact.
     */
    private ConnectWorker startWorker() {
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", kafka.bootstrap());
        props.put("group.id", "connect-cluster");
        props.put("listeners", "http://127.0.0.1:0");
        props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("config.storage.topic", CONFIGS);
        props.put("offset.storage.topic", OFFSETS);
        props.put("status.storage.topic", STATUS);
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("config.storage.segment.ms", SEGMENT_MS);
        props.put("config.storage.min.cleanable.dirty.ratio", "0.01");
        props.put("offset.storage.segment.ms", SEGMENT_MS);
        props.put("offset.storage.min.cleanable.dirty.ratio", "0.01");
        props.put("offset.flush.interval.ms", "200");
        props.put("scheduled.rebalance.max.delay.ms", "0");
        props.put("heartbeat.interval.ms", "500");
        // the plugins from the classpath's service manifests, without scanning every class of the test classpath
        props.put("plugin.discovery", "service_load");
        ConnectWorker worker = ConnectWorker.start(props);
        workers.add(worker);
        return worker;
    }

    private void stopWorker(ConnectWorker worker) {
        workers.remove(worker);
        worker.close();
    }

    private static Map<String, String> source(Path input, String batchSize) {
        return Map.of("connector.class", LineFileSource.class.getName(), "tasks.max", "1", LineFileSource.TOPIC, LINES,
                LineFileSource.FILE, input.toString(), LineFileSource.BATCH_SIZE, batchSize);
    }

    private static void appendLines(Path file, int from, int count) throws IOException {
        Files.write(file, expectedLines(from, count), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static void appendLinesUnchecked(Path file, int from, int count) {
        try {
            appendLines(file, from, count);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> expectedLines(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> "line " + i).toList();
    }

    private void awaitLinesInTopic(int lines) {
        Conditions.await(lines + " lines in " + LINES,
                () -> kafka.broker.topicMetadata().topicNames().contains(LINES)
                        && kafka.broker.hostedReplicas().leaderLog(LINES, 0).logEndOffset() >= lines,
                () -> kafka.broker.topicMetadata().topicNames().contains(LINES)
                        ? kafka.broker.hostedReplicas().leaderLog(LINES, 0).logEndOffset() + " so far" : "no topic");
    }

    private List<String> linesInTopic() {
        return kafka.readToEnd(new TopicPartition(LINES, 0)).stream().map(ConsumerRecord::value).toList();
    }

    /**
     * Waits until the cleaner has compacted {@code partition} of {@code topic} for real: a cleaning completed and a
     * stock consumer reading it from the start finds fewer records than offsets (older values of keys removed).
     * {@code meanwhile} runs at each look that finds it not yet so.
     */
    private void awaitCompacted(String topic, int partition, Runnable meanwhile) {
        TopicPartition tp = new TopicPartition(topic, partition);
        LongSupplier end = () -> kafka.broker.hostedReplicas().leaderLog(topic, partition).logEndOffset();
        Conditions.await(tp + " compacted", () -> {
                    boolean compacted = cleaner(topic, partition).lastCleanedAtMs().isPresent()
                            && kafka.readToEnd(tp).size() < end.getAsLong();
                    if (!compacted)
                        meanwhile.run();
                    return compacted;
                },
                () -> cleaner(topic, partition) + ", " + kafka.readToEnd(tp).size() + " records below offset "
                        + end.getAsLong());
        assertTrue(!cleaner(topic, partition).failed(), tp + " cleaned without failure");
    }

    private CompactionState cleaner(String topic, int partition) {
        return kafka.broker.topicMetadata().describe(topic).partitions().get(partition).cleaner().orElseThrow();
    }

    /** The one partition of the offsets topic that the file source's offsets went to. */
    private int partitionHoldingData(String topic) {
        int partitions = kafka.broker.topicMetadata().partitionCount(topic);
        List<Integer> holding = IntStream.range(0, partitions)
                .filter(p -> kafka.broker.hostedReplicas().leaderLog(topic, p).logEndOffset() > 0).boxed().toList();
        assertEquals(1, holding.size(), "partitions of " + topic + " with records: " + holding);
        return holding.get(0);
    }

    /** The lines in {@code file}, 0 while it does not exist yet. */
    private static long lineCount(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
