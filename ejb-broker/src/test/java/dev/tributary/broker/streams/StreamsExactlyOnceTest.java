package dev.tributary.broker.streams;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.kafka.KafkaListenerConfig;
import dev.tributary.broker.kafka.RunningKafkaBroker;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.server.BrokerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Streams 4.4.0 with {@code exactly_once_v2}, in a process of its own, over a few hundred thousand records:
 * killed with SIGKILL in the middle of the run and started again, it still produces every count exactly once, as a
 * read_committed consumer of its output sees it. Streams creates its internal topics itself (its state store's
 * changelog compacted, as it asks).
 */
class StreamsExactlyOnceTest {

    private static final int RECORDS = 200_000;
    private static final int KEYS = 500;
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
    @Timeout(300)
    void everyCountIsInTheOutputExactlyOnceAfterTheStreamsProcessIsKilled() throws Exception {
        kafka = new RunningKafkaBroker(BrokerConfig.embedded(root.resolve("broker")),
                KafkaListenerConfig.of("127.0.0.1", 0));
        wordCount = new WordCountBroker(kafka, PARTITIONS);
        Map<String, Integer> expected = wordCount.produce(0, RECORDS, KEYS);

        Path state = root.resolve("streams-state");
        StreamsProcess first = wordCount.startApp("streams-eos-first", state, "exactly_once_v2");
        first.await("a third of the counts are committed", () -> committedOutput() >= RECORDS / 3);
        first.kill(); // no close, open transactions left behind

        wordCount.startApp("streams-eos-second", state, "exactly_once_v2");
        Map<String, List<Long>> counts = wordCount.readCounts(RECORDS);
        assertTrue(kafka.broker.topicMetadata().config(WordCountApp.CHANGELOG).compact(),
                "Streams created its store's changelog compacted");
        WordCountBroker.assertCountsFollowOn(Map.of(), expected, counts);
    }

    private long committedOutput() {
        long total = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            PartitionLog log = kafka.broker.hostedReplicas().leaderLog(WordCountApp.OUTPUT, p);
            total += log.lastStableOffset();
        }
        return total;
    }
}
