package dev.tributary.broker.streams;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.kafka.RunningKafkaBroker;
import dev.tributary.broker.testing.Conditions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
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
    private WordCountBroker wordCount;

    @AfterEach
    void stop() {
        if (wordCount != null)
            wordCount.close();
    }

    @Test
    @Timeout(120)
    void aStoreRestoredFromItsCompactedChangelogCountsOnFromWhereItStopped() throws Exception {
        kafka = RunningKafkaBroker.withPromptGroupsAndCleaner(root.resolve("broker"));
        wordCount = new WordCountBroker(kafka, PARTITIONS);
        Path state = root.resolve("streams-state");

        StreamsProcess first = start("first", state);
        Map<String, Integer> firstCounts = wordCount.produce(0, FIRST_RECORDS, KEYS);
        WordCountBroker.assertCountsFollowOn(Map.of(), firstCounts, wordCount.readCounts(FIRST_RECORDS));
        first.stop();

        assertTrue(kafka.broker.topicMetadata().config(WordCountApp.CHANGELOG).compact(), "changelog compacted");
        awaitChangelogCompacted();
        deleteRecursively(state);

        start("second", state);
        Map<String, Integer> secondCounts = wordCount.produce(FIRST_RECORDS, SECOND_RECORDS, KEYS);
        WordCountBroker.assertCountsFollowOn(firstCounts, secondCounts, wordCount.readCounts(SECOND_RECORDS));
        assertTrue(Files.isDirectory(state), "the second run rebuilt its state directory");
    }

    /**
     * Streams creates the changelog with the {@code topic.}-prefixed settings: segments rolled every 100 ms while it
     * writes, and cleaned as soon as anything is dirty, so the first run leaves it compacted but for its last segment.
     */
    private StreamsProcess start(String run, Path state) throws Exception {
        return wordCount.startApp("streams-alo-" + run, state, "at_least_once",
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
            int records = kafka.readToEnd(new TopicPartition(WordCountApp.CHANGELOG, p)).size();
            state.put(p, records + " records below offset " + end);
            return records < end / 2;
        }), state::toString);
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
