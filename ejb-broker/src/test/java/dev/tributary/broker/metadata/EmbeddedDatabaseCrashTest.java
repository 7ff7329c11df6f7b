package dev.tributary.broker.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded metadata database keeps what it committed when the process is killed right after the commit: a
 * second JVM reserves a producer id block and halts at once (no shutdown hooks, as kill -9), and the block it got is
 * never handed out again. H2's default half-second write delay lost such commits.
 */
class EmbeddedDatabaseCrashTest {

    private static final int BLOCK = 1000;

    @TempDir
    Path dataDir;

    @Test
    void aCommitSurvivesTheProcessDyingRightAfterIt() throws Exception {
        for (int round = 0; round < 3; round++) {
            long reservedByTheDeadProcess = reserveInAnotherJvmAndHalt();
            try (MetadataDatabase database = open()) {
                long next = database.producerIdBlocks().reserve(BLOCK);
                assertTrue(next >= reservedByTheDeadProcess + BLOCK, "the block " + reservedByTheDeadProcess
                        + " reserved before the crash was handed out again as " + next);
            }
        }
    }

    private long reserveInAnotherJvmAndHalt() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ReserveAndHalt.class.getName(), dataDir.toString())
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the reserving JVM did not end");
        assertEquals(ReserveAndHalt.HALTED, process.exitValue(), "the reserving JVM failed: " + out);
        return Long.parseLong(out.substring(out.lastIndexOf('\n') + 1));
    }

    private MetadataDatabase open() {
        return MetadataDatabase.open(dataDir, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Reserves one block, prints its first id, and halts without closing anything. */
    static final class ReserveAndHalt {
        static final int HALTED = 9;

        public static void main(String[] args) {
            MetadataDatabase database = MetadataDatabase.open(Path.of(args[0]), Optional.empty(), Optional.empty(),
                    Optional.empty());
            database.brokerRegistry().clusterId(Instant.now()); // the cluster row the blocks are counted in
            System.out.println(database.producerIdBlocks().reserve(BLOCK));
            System.out.flush();
            Runtime.getRuntime().halt(HALTED);
        }
    }
}
