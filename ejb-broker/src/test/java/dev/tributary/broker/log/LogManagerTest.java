package dev.tributary.broker.log;

import dev.tributary.broker.metrics.BrokerMetrics;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.tributary.broker.log.TestRecords.batch;
import static dev.tributary.broker.log.TestRecords.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogManagerTest {
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);
    private static final TopicPartition DASHED = new TopicPartition("eu-west-1.audit-log", 12);

    @TempDir
    Path dataDir;
    private final ManualClock clock = new ManualClock(1_000_000L);

    @Test
    void createsOpensAndListsLogs() throws IOException {
        try (LogManager manager = new LogManager(dataDir, clock)) {
            PartitionLog orders = manager.createLog(ORDERS_0, LogConfig.defaults());
            manager.createLog(DASHED, LogConfig.defaults());
            orders.append(batch(1L, "a"));
            assertSame(orders, manager.log(ORDERS_0).orElseThrow());
            assertTrue(Files.isDirectory(dataDir.resolve("orders-0")));
            assertTrue(Files.isDirectory(dataDir.resolve("eu-west-1.audit-log-12")));
            assertThrows(IllegalStateException.class, () -> manager.createLog(ORDERS_0, LogConfig.defaults()));
            assertThrows(IllegalStateException.class, () -> manager.openLog(ORDERS_1, LogConfig.defaults()));
            Files.createDirectory(dataDir.resolve("not a partition"));
            Files.createDirectory(dataDir.resolve("orders-x"));
            assertEquals(Set.of(ORDERS_0, DASHED), manager.partitionsOnDisk());
        }
        try (LogManager manager = new LogManager(dataDir, clock)) {
            assertTrue(manager.log(ORDERS_0).isEmpty(), "logs are opened on demand");
            PartitionLog orders = manager.openLog(ORDERS_0, LogConfig.defaults());
            assertTrue(orders.recoveryInfo().cleanShutdown(), "LogManager.close closed every log cleanly");
            assertEquals(1, orders.logEndOffset());
            assertSame(orders, manager.openLog(ORDERS_0, LogConfig.defaults()));
        }
    }

    /**
     * Existing logs are loaded side by side: each of the two loads waits until the other has begun, which loads one
     * after the other could never satisfy.
     */
    @Test
    void existingLogsAreOpenedConcurrently() throws IOException {
        createTwoLogsAndCrashOne();
        try (LogManager manager = new LogManager(dataDir, clock, new BrokerMetrics(), CleanerConfig.defaults(), 2)) {
            CountDownLatch bothLoading = new CountDownLatch(2);
            manager.setOpeningListener(tp -> {
                bothLoading.countDown();
                try {
                    assertTrue(bothLoading.await(10, TimeUnit.SECONDS), tp + " waited alone for the other load");
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            manager.openLogs(List.of(new LogManager.LogToOpen(ORDERS_0, LogConfig.defaults(), true),
                    new LogManager.LogToOpen(ORDERS_1, LogConfig.defaults(), true)));
            assertFalse(manager.log(ORDERS_0).orElseThrow().recoveryInfo().cleanShutdown(), "it was recovered");
            assertEquals(5, manager.log(ORDERS_1).orElseThrow().logEndOffset());
            assertTrue(manager.partitionsOpening().isEmpty());
        }
    }

    @Test
    void aCorruptLogAmongThoseOpenedTogetherGoesOfflineAlone() throws IOException {
        createTwoLogsAndCrashOne();
        Path dir = dataDir.resolve("orders-0");
        Files.delete(dir.resolve(LogFiles.RECOVERY_POINT_FILE));
        TestRecords.BatchLocation middle = TestRecords.batchLocations(LogFiles.logFile(dir, 0)).get(2);
        TestRecords.flipByte(LogFiles.logFile(dir, 0), middle.position() + middle.size() - 1);

        try (LogManager manager = new LogManager(dataDir, clock, new BrokerMetrics(), CleanerConfig.defaults(), 2)) {
            manager.openLogs(List.of(new LogManager.LogToOpen(ORDERS_0, LogConfig.defaults(), true),
                    new LogManager.LogToOpen(ORDERS_1, LogConfig.defaults(), true),
                    new LogManager.LogToOpen(DASHED, LogConfig.defaults(), true))); // no directory: skipped
            assertTrue(manager.log(ORDERS_0).isEmpty());
            assertTrue(manager.openFailure(ORDERS_0).orElseThrow().contains("position " + middle.position()));
            assertEquals(5, manager.log(ORDERS_1).orElseThrow().logEndOffset());
            assertTrue(manager.log(DASHED).isEmpty() && manager.openFailure(DASHED).isEmpty());
        }
    }

    /** Two logs of five batches each; orders-0 is left as after a crash (no clean-shutdown marker). */
    private void createTwoLogsAndCrashOne() throws IOException {
        try (LogManager manager = new LogManager(dataDir, clock)) {
            for (TopicPartition tp : List.of(ORDERS_0, ORDERS_1)) {
                PartitionLog log = manager.createLog(tp, LogConfig.defaults());
                for (int i = 0; i < 5; i++)
                    log.append(batch(1L, "v" + i));
            }
        }
        Files.delete(dataDir.resolve("orders-0").resolve(LogFiles.CLEAN_SHUTDOWN_FILE));
    }

    /** Maintenance checkpoints the recovery point, which bounds what recovery after a crash validates. */
    @Test
    void maintenanceCheckpointsTheRecoveryPoint() throws IOException {
        try (LogManager manager = new LogManager(dataDir, clock)) {
            PartitionLog log = manager.createLog(ORDERS_0, LogConfig.defaults());
            for (int i = 0; i < 5; i++)
                log.append(batch(1L, "v" + i));
            Path dir = dataDir.resolve("orders-0");
            assertEquals(0, OffsetCheckpointFile.RECOVERY_POINT.read(dir).orElse(0), "fsynced, not yet checkpointed");
            manager.runMaintenance(clock.millis());
            assertEquals(5, OffsetCheckpointFile.RECOVERY_POINT.read(dir).orElseThrow());
        }
    }

    /**
     * The manager's cleaner compacts its logs, hears their truncations, and forgets a deleted log: a partition
     * created again under the same name is cleaned from its start, not from the old checkpoint.
     */
    @Test
    void itsCleanerCompactsItsLogsAndForgetsADeletedOne() throws IOException {
        LogConfig compacted = LogConfig.fromMap(Map.of("cleanup.policy", "compact", "min.cleanable.dirty.ratio",
                "0.01"));
        try (LogManager manager = new LogManager(dataDir, clock)) {
            PartitionLog log = manager.createLog(ORDERS_0, compacted);
            for (int i = 0; i < 20; i++)
                log.append(CompactedLogTest.keyed(clock.millis(), "key-" + (i % 2), "v" + i));
            log.local().roll();
            assertTrue(manager.cleaner().cleanOnce());
            assertEquals(2, readAll(log).size());
            assertEquals(20, manager.cleaningStatus(ORDERS_0).orElseThrow().firstDirtyOffset());
            assertTrue(Files.readString(dataDir.resolve(CleanerCheckpoint.FILE_NAME)).contains("orders 0 20"));

            log.truncateTo(15);
            assertEquals(15, manager.cleaningStatus(ORDERS_0).orElseThrow().firstDirtyOffset(),
                    "what is written again after a truncation is dirty");

            manager.deleteLog(ORDERS_0);
            assertFalse(Files.readString(dataDir.resolve(CleanerCheckpoint.FILE_NAME)).contains("orders 0"));
            manager.createLog(ORDERS_0, compacted);
            assertEquals(0, manager.cleaningStatus(ORDERS_0).orElseThrow().firstDirtyOffset());
            assertEquals("idle", manager.cleaningStatus(ORDERS_0).orElseThrow().state(), "not left paused");
        }
    }

    @Test
    void aCorruptPartitionGoesOfflineWhileOthersOpen() throws IOException {
        try (LogManager manager = new LogManager(dataDir, clock)) {
            for (TopicPartition tp : List.of(ORDERS_0, ORDERS_1)) {
                PartitionLog log = manager.createLog(tp, LogConfig.defaults());
                for (int i = 0; i < 5; i++)
                    log.append(batch(1L, "v" + i));
            }
        }
        Path dir = dataDir.resolve("orders-0");
        Files.delete(dir.resolve(LogFiles.CLEAN_SHUTDOWN_FILE));
        Files.delete(dir.resolve(LogFiles.RECOVERY_POINT_FILE)); // a crash before the data was checkpointed
        TestRecords.BatchLocation middle = TestRecords.batchLocations(LogFiles.logFile(dir, 0)).get(2);
        TestRecords.flipByte(LogFiles.logFile(dir, 0), middle.position() + middle.size() - 1);

        try (LogManager manager = new LogManager(dataDir, clock)) {
            assertThrows(LogCorruptionException.class, () -> manager.openLog(ORDERS_0, LogConfig.defaults()));
            String reason = manager.offlinePartitions().get(ORDERS_0);
            assertTrue(reason != null && reason.contains("orders-0") && reason.contains("position " + middle.position()),
                    String.valueOf(reason));
            assertTrue(manager.log(ORDERS_0).isEmpty());

            PartitionLog healthy = manager.openLog(ORDERS_1, LogConfig.defaults());
            assertEquals(5, readAll(healthy).size());
            assertEquals(5, healthy.append(batch(1L, "more")).firstOffset());
            assertEquals(Set.of(ORDERS_0), manager.offlinePartitions().keySet());
            assertEquals(Set.of(ORDERS_0, ORDERS_1), manager.partitionsOnDisk());

            manager.deleteLog(ORDERS_0); // an operator's way out: drop the corrupt replica
            assertTrue(manager.offlinePartitions().isEmpty());
            assertEquals(Set.of(ORDERS_1), manager.partitionsOnDisk());
        }
    }

    @Test
    void deleteLogRemovesTheFiles() throws IOException {
        try (LogManager manager = new LogManager(dataDir, clock)) {
            manager.createLog(ORDERS_0, LogConfig.defaults()).append(batch(1L, "a"));
            manager.deleteLog(ORDERS_0);
            assertFalse(Files.exists(dataDir.resolve("orders-0")));
            assertTrue(manager.log(ORDERS_0).isEmpty());
            assertTrue(manager.partitionsOnDisk().isEmpty());
            assertEquals(0, manager.createLog(ORDERS_0, LogConfig.defaults()).logEndOffset(), "recreated empty");
        }
    }

    @Test
    void interruptedDeletionsAreCleanedUpOnStart() throws IOException {
        Path leftover = dataDir.resolve("orders-0.0123456789abcdef-delete");
        Files.createDirectories(leftover);
        Files.write(leftover.resolve("00000000000000000000.log"), new byte[10]);
        try (LogManager manager = new LogManager(dataDir, clock)) {
            assertFalse(Files.exists(leftover));
            assertTrue(manager.partitionsOnDisk().isEmpty());
        }
    }

    @Test
    void maintenanceAppliesRetentionAndFlushMs() {
        int batchSize = TestRecords.sizedBatch(1L, 1, 100).sizeInBytes();
        LogConfig config = LogConfig.fromMap(Map.of("segment.bytes", Integer.toString(2 * batchSize),
                "retention.ms", "1000", "flush.messages", Long.toString(Long.MAX_VALUE), "flush.ms", "500",
                "file.delete.delay.ms", "0"));
        try (LogManager manager = new LogManager(dataDir, clock)) {
            PartitionLog log = manager.createLog(ORDERS_0, config);
            log.append(TestRecords.sizedBatch(clock.millis(), 1, 100));
            log.append(TestRecords.sizedBatch(clock.millis(), 1, 100));
            manager.runMaintenance(clock.millis() + 499);
            assertEquals(0, log.recoveryPoint(), "flush.ms not yet due");
            clock.advance(600);
            manager.runMaintenance(clock.millis());
            assertEquals(2, log.recoveryPoint(), "flush.ms");
            log.append(TestRecords.sizedBatch(clock.millis(), 1, 100)); // rolls: segments [0,1] and [2]
            assertEquals(0, log.logStartOffset());
            clock.advance(500);
            manager.runMaintenance(clock.millis());
            assertEquals(2, log.logStartOffset(), "retention.ms deleted the segment written 1100 ms ago");
            assertEquals(1, log.segmentCount());
        }
    }

    @Test
    void aDataDirectoryHasOneOwner() {
        try (LogManager manager = new LogManager(dataDir, clock)) {
            KafkaStorageException e = assertThrows(KafkaStorageException.class, () -> new LogManager(dataDir, clock));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertEquals(dataDir, manager.dataDir());
        }
        new LogManager(dataDir, clock).close(); // released on close
    }

    @Test
    void dirNamesParseWithDashesInTopics() {
        assertEquals(DASHED, LogFiles.parseDirName("eu-west-1.audit-log-12").orElseThrow());
        assertEquals(new TopicPartition("a", 0), LogFiles.parseDirName("a-0").orElseThrow());
        assertEquals(new TopicPartition("orders-", 1), LogFiles.parseDirName("orders--1").orElseThrow());
        for (String bad : List.of("orders", "orders-", "-1", "orders-1x", "orders-0.abc-delete",
                "or ders-1", "orders-99999999999"))
            assertTrue(LogFiles.parseDirName(bad).isEmpty(), bad);
    }
}
