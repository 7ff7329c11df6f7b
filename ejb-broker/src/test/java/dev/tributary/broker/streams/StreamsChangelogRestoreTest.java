package dev.tributary.broker.streams;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.group.GroupCoordinatorConfig;
import dev.tributary.broker.kafka.KafkaListenerConfig;
import dev.tributary.broker.kafka.RunningKafkaBroker;
import dev.tributary.broker.log.CleanerConfig;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.testing.Conditions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Streams 4.4.0 with {@code processing.guarantee=at_least_once}, in a process of its own: it counts, stops
 * cleanly, loses its local state directory, and starts again; meanwhile the broker's cleaner compacts the count
 * store's changelog. The second run restores the store from the compacted changelog (stepping over its gaps) and
 * counts on from the values the first run reached: every key's counts follow on, none restarts at 1.
 */
class StreamsChangelogRestoreTest {

    private static final int FIRST_RECORDS = 12_000;
    private static final int SECOND_RECORDS = 6_000;
    private static final int KEYS = 150;
    private static final int PARTITIONS = 3;

    @TempDir
    Path root;

    private RunningKafkaBroker kafka;
    private WordCountTopics topics;
    private StreamsProcess streams;

    @AfterEach
    void stop() {
        if (streams != null)
            streams.close();
        if (topics != null)
            topics.close();
        if (kafka != null)
            kafka.close();
    }

    @Test
    @Timeout(120)
    void aStoreRestoredFromItsCompactedChangelogCountsOnFromWhereItStopped() throws Exception {
        // the cleaner looks for dirty logs every 50 ms instead of every 15 s; groups form without waiting 3 s
        kafka = new RunningKafkaBroker(BrokerConfig.embedded(root.resolve("broker"))
                .withCleaner(new CleanerConfig(1, 4L << 20, Double.MAX_VALUE, 50))
                .withGroups(GroupCoordinatorConfig.defaults().withInitialRebalanceDelayMs(0)),
                KafkaListenerConfig.of("127.0.0.1", 0));
        topics = new WordCountTopics(kafka, PARTITIONS);
        Path state = root.resolve("streams-state");

        streams = start("first", state);
        Map<String, Integer> first = topics.produce(0, FIRST_RECORDS, KEYS);
        WordCountTopics.assertCountsFollowOn(Map.of(), first, topics.readCounts(FIRST_RECORDS, streams));
        streams.stop();

        assertTrue(kafka.broker.topicMetadata().config(WordCountApp.CHANGELOG).compact(), "changelog compacted");
        awaitChangelogCompacted();
        deleteRecursively(state);

        streams = start("second", state);
        Map<String, Integer> second = topics.produce(FIRST_RECORDS, SECOND_RECORDS, KEYS);
        WordCountTopics.assertCountsFollowOn(first, second, topics.readCounts(SECOND_RECORDS, streams));
        assertTrue(Files.isDirectory(state), "the second run rebuilt its state directory");
    }

    /**
     * Streams creates the changelog with the {@code topic.}-prefixed settings: segments rolled every 100 ms while it
     * writes, and cleaned as soon as anything is dirty, so the first run leaves it compacted but for its last segment.
     */
    private StreamsProcess start(String run, Path state) throws Exception {
        return StreamsProcess.start("streams-alo-" + run, kafka.bootstrap(), state, "at_least_once",
                "topic.segment.ms=100", "topic.min.cleanable.dirty.ratio=0.01");
    }

    /**
     * Waits until the cleaner has compacted every partition of the changelog for real: a stock consumer reading it
     * from the start finds less than half as many records as offsets (a key's older counts removed).
     */
    private void awaitChangelogCompacted() {
        Map<Integer, String> state = new HashMap<>();
        Conditions.await(WordCountApp.CHANGELOG + " compacted", () -> IntStream.range(0, PARTITIONS).allMatch(p -> {
            long end = kafka.broker.hostedReplicas().leaderLog(WordCountApp.CHANGELOG, p).logEndOffset();
            int records = readToEnd(new TopicPartition(WordCountApp.CHANGELOG, p));
            state.put(p, records + " records below offset " + end);
            return records < end / 2;
        }), state::toString);
    }

    private int readToEnd(TopicPartition partition) {
        try (KafkaConsumer<String, String> consumer = kafka.consumer(new Properties())) {
            return RunningKafkaBroker.readToEnd(consumer, partition).size();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        assertTrue(Files.isDirectory(dir), "the first run kept its state in " + dir);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList())
                Files.delete(file);
        }
        assertFalse(Files.exists(dir));
    }
}
