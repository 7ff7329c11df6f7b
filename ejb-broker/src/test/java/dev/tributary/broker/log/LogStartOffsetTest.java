package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Stream;

import static dev.tributary.broker.log.TestRecords.ReadRecord;
import static dev.tributary.broker.log.TestRecords.batch;
import static dev.tributary.broker.log.TestRecords.readAll;
import static dev.tributary.broker.log.TestRecords.readFrom;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A log start offset inside a segment ({@link PartitionLog#advanceLogStartOffset}, Kafka's DeleteRecords): reads,
 * timestamp lookups, retention, and durability across clean restarts and crashes. "Crash" as in
 * {@link LogRecoveryTest}: the log object is abandoned without close, or closed and its clean-shutdown marker
 * removed.
 */
class LogStartOffsetTest {
    private static final TopicPartition TP = new TopicPartition("ledger", 3);
    /** Batches of three records, all of one size, two batches to a segment. */
    private static final int BATCH = batch(0L, "b0r0", "b0r1", "b0r2").sizeInBytes();

    @TempDir
    Path tmp;
    private final ManualClock clock = new ManualClock(5_000_000L);
    private final long t0 = clock.millis();

    private Path dir() {
        return tmp.resolve("ledger-3");
    }

    private PartitionLog open(Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>(Map.of("segment.bytes", Integer.toString(2 * BATCH),
                "file.delete.delay.ms", "0"));
        config.putAll(overrides);
        return PartitionLog.open(dir(), TP, LogConfig.fromMap(config), clock);
    }

    /** Six batches: offsets 0..17 in segments [0..5], [6..11] and the active [12..17]; batch i at t0 + i s. */
    private PartitionLog openWithSixBatches(Map<String, String> overrides) {
        PartitionLog log = open(overrides);
        for (int i = 0; i < 6; i++)
            log.append(batch(t0 + i * 1000L, "b" + i + "r0", "b" + i + "r1", "b" + i + "r2"));
        assertEquals(3, log.segmentCount());
        return log;
    }

    private List<String> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(LogFiles.LOG_SUFFIX)).sorted()
                    .toList();
        }
    }

    private static List<Long> offsets(List<ReadRecord> records) {
        return records.stream().map(ReadRecord::offset).toList();
    }

    @Test
    void recordsBelowTheNewStartAreGoneAndTheRestIsUnchanged() {
        try (PartitionLog log = openWithSixBatches(Map.of())) {
            List<ReadRecord> before = readFrom(log, 7, 4096);
            assertEquals(7, log.advanceLogStartOffset(7));
            assertEquals(7, log.logStartOffset());
            assertEquals(18, log.logEndOffset(), "the end does not move");

            OffsetOutOfRangeException below = assertThrows(OffsetOutOfRangeException.class, () -> log.read(6, 4096));
            assertTrue(below.getMessage().contains("log start offset 7"), below.getMessage());
            assertEquals(before, readAll(log), "offsets 7..17 read as before");
            assertEquals(7, offsets(readAll(log)).get(0));
            // batch 2 (offsets 6..8, at t0+2s) now starts, for lookups, at 7
            assertEquals(Optional.of(new TimestampOffset(t0 + 2000, 7)), log.offsetForTimestamp(t0 + 1500));
            assertEquals(Optional.of(new TimestampOffset(t0 + 2000, 7)), log.offsetForTimestamp(t0));

            assertEquals(7, log.advanceLogStartOffset(3), "moving back is a no-op");
            assertEquals(18, log.append(batch(t0, "after")).firstOffset(), "appends go on at the end");
        }
    }

    @Test
    void offsetsBeyondTheHighWatermarkOrNegativeAreRefused() {
        try (PartitionLog log = openWithSixBatches(Map.of())) {
            OffsetOutOfRangeException beyond = assertThrows(OffsetOutOfRangeException.class,
                    () -> log.advanceLogStartOffset(19));
            assertTrue(beyond.getMessage().contains("high watermark 18"), beyond.getMessage());
            assertThrows(OffsetOutOfRangeException.class, () -> log.advanceLogStartOffset(-2));
            assertEquals(0, log.logStartOffset(), "a refused request changes nothing");
            assertFalse(Files.exists(dir().resolve(LogFiles.LOG_START_OFFSET_FILE)));
        }
    }

    @Test
    void retentionDeletesTheSegmentsThatHoldOnlyDeletedRecords() throws IOException {
        try (PartitionLog log = openWithSixBatches(Map.of())) {
            log.advanceLogStartOffset(13);
            assertEquals(3, log.segmentCount(), "segments go with maintenance, not with the request");

            assertEquals(2, log.applyRetention(clock.millis()));
            assertEquals(List.of("00000000000000000012.log"), segmentFiles());
            assertEquals(13, log.logStartOffset(), "the start stays inside the remaining segment, not at its base");
            assertThrows(OffsetOutOfRangeException.class, () -> log.read(12, 4096));
            assertEquals(List.of(13L, 14L, 15L, 16L, 17L), offsets(readAll(log)));
            assertEquals(0, log.applyRetention(clock.millis()), "the active segment still holds 13..17");

            log.advanceLogStartOffset(18);
            assertEquals(1, log.applyRetention(clock.millis()), "a wholly deleted active segment is rolled away");
            assertEquals(List.of("00000000000000000018.log"), segmentFiles());
            assertEquals(18, log.logStartOffset());
            assertEquals(18, log.append(batch(t0, "next")).firstOffset());
        }
    }

    @Test
    void theStartSurvivesACleanRestart() {
        List<ReadRecord> kept;
        try (PartitionLog log = openWithSixBatches(Map.of())) {
            log.advanceLogStartOffset(7);
            kept = readAll(log);
        }
        try (PartitionLog reopened = open(Map.of())) {
            assertTrue(reopened.recoveryInfo().cleanShutdown());
            assertEquals(7, reopened.logStartOffset());
            assertThrows(OffsetOutOfRangeException.class, () -> reopened.read(6, 4096));
            assertEquals(kept, readAll(reopened));
        }
    }

    @Test
    void theStartSurvivesAProcessCrashWithoutAnyFlush() {
        // flush.messages=MAX: appends are never fsynced on their own, so the delete must make them durable first
        // (rolls fsync the segments they close: 16 lies in the active segment, which nothing has flushed)
        PartitionLog crashed = openWithSixBatches(Map.of("flush.messages", Long.toString(Long.MAX_VALUE)));
        assertTrue(crashed.recoveryPoint() < 16, "nothing forced the active segment to disk yet");
        crashed.advanceLogStartOffset(16);
        assertTrue(crashed.recoveryPoint() >= 16, "the records below the new start are durable");
        List<ReadRecord> kept = readAll(crashed);
        // abandoned without close: no clean-shutdown marker, no final checkpoint
        try (PartitionLog recovered = open(Map.of())) {
            assertFalse(recovered.recoveryInfo().cleanShutdown());
            assertEquals(16, recovered.logStartOffset());
            assertEquals(kept, readAll(recovered));
        }
    }

    @Test
    void theStartSurvivesACrashDuringItsNextCheckpointWrite() throws IOException {
        PartitionLog log = openWithSixBatches(Map.of());
        log.advanceLogStartOffset(7);
        log.close();
        Files.delete(dir().resolve(LogFiles.CLEAN_SHUTDOWN_FILE));
        // a later advance crashed after writing its temporary file, before the atomic rename
        Path torn = dir().resolve(LogFiles.LOG_START_OFFSET_FILE + LogFiles.TMP_SUFFIX);
        Files.writeString(torn, "0\n1");
        try (PartitionLog recovered = open(Map.of())) {
            assertEquals(7, recovered.logStartOffset(), "the last complete checkpoint holds");
            assertFalse(Files.exists(torn), "the temporary file is cleaned up");
            assertEquals(15, recovered.advanceLogStartOffset(15));
        }
        try (PartitionLog reopened = open(Map.of())) {
            assertEquals(15, reopened.logStartOffset());
        }
    }

    @Test
    void aCheckpointBeyondTheLogEndStartsTheLogAtItsEnd() throws IOException {
        openWithSixBatches(Map.of()).close();
        OffsetCheckpointFile.LOG_START_OFFSET.write(dir(), 100); // as if fsynced records had been lost
        try (LogCapture warnings = new LogCapture(LogLoader.class); PartitionLog log = open(Map.of())) {
            assertEquals(18, log.logStartOffset());
            assertEquals(18, log.logEndOffset());
            assertTrue(warnings.messagesAt(Level.WARNING).stream().anyMatch(m -> m.contains("starts at 100")),
                    warnings.messagesAt(Level.WARNING).toString());
            assertEquals(18, log.append(batch(t0, "next")).firstOffset(), "no offset is handed out twice");
        }
    }

    @Test
    void aStartCheckpointWithoutSegmentsRefusesToRestartAtZero() throws IOException {
        try (PartitionLog log = openWithSixBatches(Map.of())) {
            log.advanceLogStartOffset(18);
        }
        try (Stream<Path> files = Files.list(dir())) {
            for (Path file : files.toList()) {
                if (!file.getFileName().toString().equals(LogFiles.LOG_START_OFFSET_FILE))
                    Files.delete(file);
            }
        }
        LogCorruptionException e = assertThrows(LogCorruptionException.class, () -> open(Map.of()));
        assertTrue(e.getMessage().contains("log start offset checkpoint"), e.getMessage());
    }
}
