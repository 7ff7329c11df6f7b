package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

import static dev.tributary.broker.log.TestRecords.BatchLocation;
import static dev.tributary.broker.log.TestRecords.ReadRecord;
import static dev.tributary.broker.log.TestRecords.batch;
import static dev.tributary.broker.log.TestRecords.batchLocations;
import static dev.tributary.broker.log.TestRecords.flipByte;
import static dev.tributary.broker.log.TestRecords.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recovery on open. "Crash" means one of: the log object is abandoned without close (a process crash: indexes
 * untrimmed, checkpoint stale), or it is closed and the clean-shutdown marker removed (a crash after a flush).
 */
class LogRecoveryTest {
    private static final TopicPartition TP = new TopicPartition("pay-ments", 7);

    @TempDir
    Path tmp;
    private final ManualClock clock = new ManualClock(1_000_000L);

    private Path dir() {
        return tmp.resolve("pay-ments-7");
    }

    private Path firstSegment() {
        return LogFiles.logFile(dir(), 0);
    }

    private PartitionLog open(Map<String, String> overrides) {
        return PartitionLog.open(dir(), TP, LogConfig.fromMap(overrides), clock);
    }

    /** Five batches of three records: offsets 0..14. */
    private PartitionLog openWithFiveBatches() {
        PartitionLog log = open(Map.of("index.interval.bytes", "0"));
        for (int i = 0; i < 5; i++)
            log.append(batch(clock.millis() + i, "b" + i + "r0", "b" + i + "r1", "b" + i + "r2"));
        return log;
    }

    /**
     * A crash after the data reached the disk but before the recovery point was checkpointed past it: the recovery
     * scan covers every batch (damage below a checkpointed recovery point is the scrubber's to find, not the
     * loader's).
     */
    private void closeAsIfCrashedBeforeCheckpoint(PartitionLog log) throws IOException {
        log.close();
        Files.delete(dir().resolve(LogFiles.CLEAN_SHUTDOWN_FILE));
        Files.delete(dir().resolve(LogFiles.RECOVERY_POINT_FILE));
    }

    @Test
    void tornTailIsTruncatedWithAWarningAndAppendsContinueAtTheRightOffset() throws IOException {
        openWithFiveBatches(); // abandoned without close: a process crash
        List<BatchLocation> batches = batchLocations(firstSegment());
        BatchLocation last = batches.get(4);
        TestRecords.truncate(firstSegment(), last.position() + 20); // the last write was torn after 20 bytes

        try (LogCapture warnings = new LogCapture(LogLoader.class)) {
            PartitionLog log = open(Map.of());
            try {
                assertEquals(12, log.logEndOffset());
                RecoveryInfo info = log.recoveryInfo();
                assertFalse(info.cleanShutdown());
                assertEquals(1, info.segmentsRecovered());
                assertEquals(20, info.bytesTruncated());
                assertEquals(last.position(), Files.size(firstSegment()));
                List<String> messages = warnings.messagesAt(Level.WARNING);
                assertEquals(1, messages.size(), messages.toString());
                String warning = messages.get(0);
                assertTrue(warning.contains("pay-ments-7") && warning.contains("20 bytes")
                        && warning.contains("Offsets from 12"), warning);

                assertEquals(12, log.append(batch(clock.millis(), "after")).firstOffset());
                List<ReadRecord> records = readAll(log);
                assertEquals(13, records.size());
                assertEquals("after", records.get(12).value());
                assertEquals(12, records.get(12).offset());
            } finally {
                log.close();
            }
        }
    }

    @Test
    void flippedByteInTheLastBatchTruncatesThatBatch() throws IOException {
        PartitionLog log = openWithFiveBatches();
        closeAsIfCrashedBeforeCheckpoint(log);
        BatchLocation last = batchLocations(firstSegment()).get(4);
        flipByte(firstSegment(), last.position() + last.size() - 1);

        PartitionLog reopened = open(Map.of());
        try {
            assertEquals(12, reopened.logEndOffset());
            assertEquals(last.size(), reopened.recoveryInfo().bytesTruncated());
            assertEquals(12, readAll(reopened).size());
        } finally {
            reopened.close();
        }
    }

    @Test
    void zeroFilledTailIsTruncated() throws IOException {
        PartitionLog log = openWithFiveBatches();
        closeAsIfCrashedBeforeCheckpoint(log);
        long size = Files.size(firstSegment());
        TestRecords.overwrite(firstSegment(), size, new byte[4096]); // a file system may expose zeros after a crash
        PartitionLog reopened = open(Map.of());
        try {
            assertEquals(15, reopened.logEndOffset());
            assertEquals(4096, reopened.recoveryInfo().bytesTruncated());
            assertEquals(size, Files.size(firstSegment()));
        } finally {
            reopened.close();
        }
    }

    @Test
    void flippedByteInAMiddleBatchRefusesTheLog() throws IOException {
        PartitionLog log = openWithFiveBatches();
        closeAsIfCrashedBeforeCheckpoint(log);
        BatchLocation middle = batchLocations(firstSegment()).get(2);
        flipByte(firstSegment(), middle.position() + middle.size() - 1);
        long sizeBefore = Files.size(firstSegment());

        LogCorruptionException e = assertThrows(LogCorruptionException.class, () -> open(Map.of()));
        assertEquals(TP, e.topicPartition());
        assertEquals(firstSegment(), e.file());
        assertEquals(middle.position(), e.position());
        assertTrue(e.getMessage().contains("pay-ments-7") && e.getMessage().contains("00000000000000000000.log")
                && e.getMessage().contains("a valid batch with offsets 9..11"), e.getMessage());
        assertEquals(sizeBefore, Files.size(firstSegment()), "nothing was truncated");
        // and it stays refused: the marker was not recreated, nothing was silently repaired
        assertThrows(LogCorruptionException.class, () -> open(Map.of()));
    }

    @Test
    void damagedLengthFieldInAMiddleBatchRefusesTheLog() throws IOException {
        PartitionLog log = openWithFiveBatches();
        closeAsIfCrashedBeforeCheckpoint(log);
        BatchLocation middle = batchLocations(firstSegment()).get(1);
        // the length field claims the batch runs past the end of the file, as a torn tail would
        TestRecords.overwrite(firstSegment(), middle.position() + 8, ByteBuffer.allocate(4).putInt(1 << 20).array());

        LogCorruptionException e = assertThrows(LogCorruptionException.class, () -> open(Map.of()));
        assertEquals(middle.position(), e.position());
        assertTrue(e.getMessage().contains("follows at position"), e.getMessage());
    }

    @Test
    void damageInASegmentFollowedByNewerSegmentsRefusesTheLog() throws IOException {
        PartitionLog log = open(Map.of("segment.bytes", "300"));
        for (int i = 0; i < 12; i++)
            log.append(batch(clock.millis(), "value-" + i));
        assertTrue(log.segmentCount() >= 3);
        log.close();
        // crash before any checkpoint: every segment is validated
        Files.delete(dir().resolve(LogFiles.CLEAN_SHUTDOWN_FILE));
        Files.delete(dir().resolve(LogFiles.RECOVERY_POINT_FILE));
        List<BatchLocation> first = batchLocations(firstSegment());
        BatchLocation lastOfFirst = first.get(first.size() - 1);
        flipByte(firstSegment(), lastOfFirst.position() + lastOfFirst.size() - 1);

        LogCorruptionException e = assertThrows(LogCorruptionException.class, () -> open(Map.of("segment.bytes", "300")));
        assertEquals(firstSegment(), e.file());
        assertTrue(e.getMessage().contains("followed by newer segments"), e.getMessage());
    }

    @Test
    void missingAndGarbledIndexesAreRebuilt() throws IOException {
        Map<String, String> config = Map.of("segment.bytes", "2000", "index.interval.bytes", "100");
        PartitionLog log = open(config);
        List<long[]> appended = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            LogAppendInfo info = log.append(batch(10_000L + 10L * i, "x" + i, "y" + i));
            appended.add(new long[]{info.firstOffset(), info.lastOffset()});
        }
        assertTrue(log.segmentCount() >= 3);
        List<Optional<TimestampOffset>> timeLookups = new ArrayList<>();
        for (long t = 9_990; t < 10_620; t += 7)
            timeLookups.add(log.offsetForTimestamp(t));
        log.close();

        long second = batchLocations(firstSegment()).stream().mapToLong(BatchLocation::lastOffset).max().orElseThrow() + 1;
        Files.delete(LogFiles.offsetIndexFile(dir(), 0));
        Files.delete(LogFiles.timeIndexFile(dir(), 0));
        Path index = LogFiles.offsetIndexFile(dir(), second);
        byte[] garbage = new byte[(int) Files.size(index)];
        Arrays.fill(garbage, (byte) 0x5A);
        Files.write(index, garbage);
        Path timeIndex = LogFiles.timeIndexFile(dir(), second);
        TestRecords.truncate(timeIndex, Files.size(timeIndex) - 5); // not a whole number of entries

        PartitionLog reopened = open(config);
        try {
            RecoveryInfo info = reopened.recoveryInfo();
            assertTrue(info.cleanShutdown());
            assertEquals(0, info.segmentsRecovered());
            assertEquals(2, info.indexesRebuilt());
            for (long[] b : appended) {
                for (long offset = b[0]; offset <= b[1]; offset++) {
                    RecordBatch found = reopened.read(offset, 1).records().batches().iterator().next();
                    assertEquals(b[0], found.baseOffset());
                }
            }
            List<Optional<TimestampOffset>> after = new ArrayList<>();
            for (long t = 9_990; t < 10_620; t += 7)
                after.add(reopened.offsetForTimestamp(t));
            assertEquals(timeLookups, after);
            assertTrue(Files.size(LogFiles.offsetIndexFile(dir(), 0)) > 0);
        } finally {
            reopened.close();
        }
    }

    /**
     * The observable: a damaged byte inside the last batch's records (length and header intact, so the files look
     * exactly as at close) is not noticed after a clean shutdown, because nothing is scanned; without the marker
     * the same damage is found and truncated.
     */
    @Test
    void cleanShutdownMarkerSkipsTheScan() throws IOException {
        PartitionLog log = openWithFiveBatches();
        log.close();
        assertTrue(Files.exists(dir().resolve(LogFiles.CLEAN_SHUTDOWN_FILE)));
        BatchLocation last = batchLocations(firstSegment()).get(4);
        flipByte(firstSegment(), last.position() + last.size() - 1);

        PartitionLog trusted = open(Map.of());
        RecoveryInfo info = trusted.recoveryInfo();
        assertTrue(info.cleanShutdown());
        assertEquals(0, info.segmentsRecovered());
        assertEquals(15, trusted.logEndOffset(), "the damaged batch was not validated");
        assertFalse(Files.exists(dir().resolve(LogFiles.CLEAN_SHUTDOWN_FILE)), "the marker is consumed on open");
        trusted.close();

        Files.delete(dir().resolve(LogFiles.CLEAN_SHUTDOWN_FILE));
        Files.delete(dir().resolve(LogFiles.RECOVERY_POINT_FILE)); // the damaged batch is above the recovery point
        PartitionLog scanned = open(Map.of());
        try {
            assertEquals(1, scanned.recoveryInfo().segmentsRecovered());
            assertEquals(12, scanned.logEndOffset(), "the same damage is found when the log is scanned");
        } finally {
            scanned.close();
        }
    }

    @Test
    void markerThatDoesNotMatchTheFilesIsIgnored() throws IOException {
        PartitionLog log = openWithFiveBatches();
        log.close();
        BatchLocation last = batchLocations(firstSegment()).get(4);
        TestRecords.truncate(firstSegment(), last.position() + 30); // changed after the clean close
        PartitionLog reopened = open(Map.of());
        try {
            assertFalse(reopened.recoveryInfo().cleanShutdown());
            assertEquals(12, reopened.logEndOffset());
        } finally {
            reopened.close();
        }
    }

    @Test
    void restartAfterCleanCloseAndAfterCrashPreservesEverything() throws IOException {
        Map<String, String> config = Map.of("segment.bytes", "700", "index.interval.bytes", "50",
                "message.timestamp.type", "LogAppendTime");
        PartitionLog log = open(config);
        for (int i = 0; i < 40; i++) {
            clock.advance(10);
            log.append(batch(0L, "v" + i, "w" + i));
        }
        List<ReadRecord> before = readAll(log);
        int segments = log.segmentCount();
        Optional<TimestampOffset> byTime = log.offsetForTimestamp(clock.millis() - 95);
        log.close();

        PartitionLog afterClean = open(config);
        assertTrue(afterClean.recoveryInfo().cleanShutdown());
        assertEquals(before, readAll(afterClean));
        assertEquals(segments, afterClean.segmentCount());
        assertEquals(80, afterClean.logEndOffset());
        assertEquals(byTime, afterClean.offsetForTimestamp(clock.millis() - 95));
        clock.advance(10);
        assertEquals(80, afterClean.append(batch(0L, "x")).firstOffset());
        List<ReadRecord> beforeCrash = readAll(afterClean);
        // now crash: no close, so the active segment's indexes are untrimmed and the checkpoint is stale
        PartitionLog afterCrash = open(config);
        try {
            assertFalse(afterCrash.recoveryInfo().cleanShutdown());
            assertEquals(0, afterCrash.recoveryInfo().bytesTruncated());
            assertEquals(beforeCrash, readAll(afterCrash));
            assertEquals(byTime, afterCrash.offsetForTimestamp(clock.millis() - 105));
            assertEquals(81, afterCrash.append(batch(0L, "y")).firstOffset());
        } finally {
            afterCrash.close(); // afterClean stays abandoned, as a crashed process would leave it
        }
    }

    @Test
    void strayFilesAreRemoved() throws IOException {
        PartitionLog log = openWithFiveBatches();
        log.close();
        List<Path> strays = List.of(dir().resolve("00000000000000000000.log.deleted"),
                dir().resolve("00000000000000000003.log.cleaned"), dir().resolve("00000000000000000003.index.swap"),
                dir().resolve("00000000000000000099.index"), dir().resolve("00000000000000000099.timeindex"),
                dir().resolve(LogFiles.RECOVERY_POINT_FILE + LogFiles.TMP_SUFFIX));
        for (Path p : strays)
            Files.write(p, new byte[]{1, 2, 3});
        PartitionLog reopened = open(Map.of());
        try {
            for (Path p : strays)
                assertFalse(Files.exists(p), p.toString());
            assertEquals(15, reopened.logEndOffset());
        } finally {
            reopened.close();
        }
    }

    @Test
    void checkpointWithoutSegmentsRefusesToRestartAtZero() throws IOException {
        PartitionLog log = openWithFiveBatches();
        log.close();
        for (Path p : List.of(firstSegment(), LogFiles.offsetIndexFile(dir(), 0), LogFiles.timeIndexFile(dir(), 0)))
            Files.delete(p);
        LogCorruptionException e = assertThrows(LogCorruptionException.class, () -> open(Map.of()));
        assertTrue(e.getMessage().contains("no segment files"), e.getMessage());
    }
}
