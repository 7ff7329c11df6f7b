package dev.tributary.broker.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.group.CommittedOffset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded metadata database keeps what it committed when the process is killed right after the commit: a
 * second JVM commits a group's offset and halts at once (no shutdown hooks, as kill -9), and the offset is there
 * when the database is opened again. H2's default half-second write delay lost such commits (and with them a
 * transaction coordinator's decided outcomes: KafkaTransactionsIT).
 */
class EmbeddedDatabaseCrashTest {

    private static final TopicPartition PARTITION = new TopicPartition("orders", 0);

    @TempDir
    Path dataDir;

    @Test
    void aCommitSurvivesTheProcessDyingRightAfterIt() throws Exception {
        commitInAnotherJvmAndHalt(42);
        try (MetadataDatabase database = open(dataDir)) {
            CommittedOffset committed = database.offsetStore().loadAll().getOrDefault("billing", Map.of())
                    .get(PARTITION);
            assertEquals(42, committed == null ? -1 : committed.offset(),
                    "the offset committed just before the process died");
        }
    }

    private void commitInAnotherJvmAndHalt(long offset) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CommitAndHalt.class.getName(), dataDir.toString(), Long.toString(offset))
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the committing JVM did not end");
        assertEquals(CommitAndHalt.HALTED, process.exitValue(), () -> "the committing JVM failed: " + out);
    }

    private static MetadataDatabase open(Path dataDir) {
        return MetadataDatabase.open(dataDir, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Commits one offset of group {@code billing} and halts without closing anything. */
    static final class CommitAndHalt {
        static final int HALTED = 9;

        public static void main(String[] args) {
            MetadataDatabase database = open(Path.of(args[0]));
            database.offsetStore().commit("billing", Map.of(PARTITION, new CommittedOffset(Long.parseLong(args[1]),
                    OptionalInt.empty(), "", Instant.now())));
            Runtime.getRuntime().halt(HALTED);
        }
    }
}
