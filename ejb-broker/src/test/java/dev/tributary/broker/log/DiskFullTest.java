package dev.tributary.broker.log;

import static dev.tributary.broker.log.TestRecords.readAll;
import static dev.tributary.broker.log.TestRecords.sizedBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log on a real, small file system (a 4 MiB tmpfs, mounted for the test; skipped where mounting is not
 * allowed) filled to the last byte: the append that does not fit fails with a storage error, the log stays
 * online and intact, and appends succeed again once space is freed.
 */
class DiskFullTest {

    private static final TopicPartition TP = new TopicPartition("full", 0);

    @TempDir
    Path tmp;

    private Path mount;
    private boolean mounted;
    private PartitionLog log;

    @BeforeEach
    void mountSmallFileSystem() throws Exception {
        mount = Files.createDirectories(tmp.resolve("tmpfs"));
        mounted = run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString()) == 0;
        assumeTrue(mounted, "mounting a tmpfs needs root (CAP_SYS_ADMIN); this machine does not allow it");
    }

    @AfterEach
    void unmount() throws Exception {
        if (log != null)
            log.close();
        // Lazily: index mappings are released by the garbage collector (see AbstractIndex), not by close().
        if (mounted)
            assertEquals(0, run("umount", "-l", mount.toString()));
    }

    @Test
    void aFullDiskRefusesTheAppendKeepsWhatWasWrittenAndTakesAppendsAgainOnceSpaceReturns() throws Exception {
        // Segment and index files must fit too: small segments, small indexes.
        log = PartitionLog.open(mount.resolve("full-0"), TP, LogConfig.fromMap(Map.of("segment.bytes", "1048576",
                "segment.index.bytes", "65536")), new ManualClock(1_000));
        Path ballast = mount.resolve("ballast");
        Files.write(ballast, new byte[1 << 20]);

        KafkaStorageException refused = null;
        int appended = 0;
        while (refused == null) {
            try {
                log.append(sizedBatch(1_000, 10, 1000));
                appended += 10;
            } catch (LogFullException full) {
                refused = full;
            }
            assertTrue(appended < 10_000, "the 4 MiB file system never filled up");
        }
        assertTrue(appended > 0);
        List<TestRecords.ReadRecord> before = readAll(log);
        assertEquals(appended, before.size(), "everything acknowledged reads back");
        assertEquals(appended, log.logEndOffset(), "the refused append left no trace");
        assertThrows(LogFullException.class, () -> log.append(sizedBatch(1_000, 10, 1000)), "still full");

        Files.delete(ballast);
        log.append(sizedBatch(1_000, 10, 1000));
        List<TestRecords.ReadRecord> after = readAll(log);
        assertEquals(before, after.subList(0, before.size()));
        assertEquals(appended + 10, after.size());

        // and the files recover cleanly: nothing half-written beyond the end
        log.close();
        log = PartitionLog.open(mount.resolve("full-0"), TP, LogConfig.fromMap(Map.of("segment.bytes", "1048576",
                "segment.index.bytes", "65536")), new ManualClock(2_000));
        assertEquals(after, readAll(log));
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor();
    }
}
