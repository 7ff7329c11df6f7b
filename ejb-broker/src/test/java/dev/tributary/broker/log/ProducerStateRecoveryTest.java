package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static dev.tributary.broker.log.TestRecords.BatchLocation;
import static dev.tributary.broker.log.TestRecords.batchLocations;
import static dev.tributary.broker.log.TestRecords.flipByte;
import static dev.tributary.broker.log.TestRecords.idempotentBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Producer state survives a restart with the log: snapshots on roll and close, rebuilt on open from the newest usable
 * snapshot plus the batches after it. "Crash" means the log object is abandoned without close, as in
 * {@link LogRecoveryTest}.
 */
class ProducerStateRecoveryTest {
    private static final TopicPartition TP = new TopicPartition("orders", 3);
    private static final long PID = 77;

    @TempDir
    Path tmp;
    private final ManualClock clock = new ManualClock(2_000_000L);
    private PartitionLog log;

    @AfterEach
    void closeLog() {
        if (log != null)
            log.close();
    }

    private Path dir() {
        return tmp.resolve("orders-3");
    }

    private PartitionLog open() {
        log = PartitionLog.open(dir(), TP, LogConfig.fromMap(Map.of(
                LogConfig.SEGMENT_BYTES, Integer.toString(3 * batch(0).sizeInBytes()))), clock);
        return log;
    }

    /** Batch number {@code n} of the producer: sequences {@code 2n, 2n+1}. */
    private MemoryRecords batch(int n) {
        return idempotentBatch(PID, (short) 0, 2 * n, 1_000L, "v" + n + "a", "v" + n + "b");
    }

    /** Appends batches 0 to {@code count - 1}: offsets 0 to 2 * count - 1, three batches per segment. */
    private PartitionLog openAndAppend(int count) {
        open();
        for (int n = 0; n < count; n++)
            assertEquals(2L * n, log.append(batch(n)).firstOffset());
        return log;
    }

    /** A crash: the log is abandoned open, as a killed process leaves it. */
    private void crash() {
        log = null;
    }

    private List<Long> snapshots() throws IOException {
        return new ProducerStateManager(dir(), TP).snapshotOffsets();
    }

    private void assertRetryIsDuplicate(int n) {
        LogAppendInfo retry = log.append(batch(n));
        assertTrue(retry.duplicate(), "batch " + n + " is recognised as a retry");
        assertEquals(2L * n, retry.firstOffset());
    }

    @Test
    void aRetryAfterACleanRestartIsAnsweredWithItsOriginalOffsets() throws IOException {
        openAndAppend(4).close();
        assertTrue(snapshots().contains(8L), "close snapshots the state at the log end offset: " + snapshots());

        open();
        assertTrue(log.recoveryInfo().cleanShutdown());
        assertRetryIsDuplicate(3);
        assertRetryIsDuplicate(1);
        assertEquals(8, log.logEndOffset(), "nothing was appended twice");
        assertEquals(8, log.append(batch(4)).firstOffset());
    }

    @Test
    void aRetryAfterACrashIsAnsweredWithItsOriginalOffsets() throws IOException {
        openAndAppend(5); // segments at 0 and 6: one roll, one snapshot at 6
        assertEquals(List.of(6L), snapshots());
        crash();

        open();
        assertFalse(log.recoveryInfo().cleanShutdown());
        assertRetryIsDuplicate(4); // replayed from the recovery scan of the active segment
        assertRetryIsDuplicate(2); // from the snapshot taken when the segment rolled
        assertRetryIsDuplicate(0);
        assertEquals(10, log.logEndOffset());
    }

    @Test
    void aCrashBeforeAnySnapshotRebuildsTheStateFromTheLog() {
        openAndAppend(2);
        crash();

        open();
        assertRetryIsDuplicate(1);
        assertRetryIsDuplicate(0);
        assertEquals(4, log.append(batch(2)).firstOffset());
    }

    @Test
    void aCorruptSnapshotIsSkippedAndTheStateRebuiltFromAnOlderOneAndTheLog() throws IOException {
        openAndAppend(5).close(); // snapshots at 6 (roll) and 10 (close)
        assertEquals(List.of(6L, 10L), snapshots());
        Path newest = LogFiles.producerSnapshotFile(dir(), 10);
        flipByte(newest, Files.size(newest) - 3);

        try (LogCapture warnings = new LogCapture(ProducerStateManager.class)) {
            open();
            List<String> messages = warnings.messagesAt(Level.WARNING);
            assertEquals(1, messages.size(), messages.toString());
            assertTrue(messages.get(0).contains(newest.toString()) && messages.get(0).contains("corrupt"),
                    messages.get(0));
        }
        assertTrue(log.recoveryInfo().cleanShutdown(), "a bad snapshot does not make the segments suspect");
        assertFalse(Files.exists(newest), "the corrupt snapshot is deleted");
        assertRetryIsDuplicate(4); // replayed from the segment after the older snapshot
        assertRetryIsDuplicate(2);
    }

    @Test
    void withEverySnapshotCorruptTheStateIsRebuiltFromTheWholeLog() throws IOException {
        openAndAppend(5).close();
        for (long offset : snapshots())
            TestRecords.truncate(LogFiles.producerSnapshotFile(dir(), offset), 7);

        open();
        assertTrue(snapshots().isEmpty());
        assertRetryIsDuplicate(4);
        assertRetryIsDuplicate(0);
    }

    @Test
    void truncatingATornTailDropsTheProducerStateOfTheLostBatch() throws IOException {
        openAndAppend(5);
        crash();
        Path active = LogFiles.logFile(dir(), 6);
        BatchLocation last = batchLocations(active).get(1); // batch 4, offsets 8-9
        TestRecords.truncate(active, last.position() + 30);

        open();
        assertEquals(8, log.logEndOffset());
        assertRetryIsDuplicate(3);
        LogAppendInfo again = log.append(batch(4));
        assertFalse(again.duplicate(), "the torn batch is not in the log, so its retry is a new append");
        assertEquals(8, again.firstOffset());
    }

    @Test
    void aSnapshotAboveTheRecoveredLogEndIsDiscarded() throws IOException {
        openAndAppend(5).close(); // snapshot at 10; the storage then loses the last batch it had flushed
        Files.delete(dir().resolve(LogFiles.CLEAN_SHUTDOWN_FILE));
        Path active = LogFiles.logFile(dir(), 6);
        TestRecords.truncate(active, batchLocations(active).get(1).position() + 30);

        // The recovered segment starts at 6, so the loader starts from the snapshot there (it rebuilds that segment's
        // transaction index from it) and never reads the one at 10.
        open();
        assertEquals(8, log.logEndOffset());
        assertEquals(List.of(6L), snapshots(), "the snapshot beyond the log end is deleted");
        assertRetryIsDuplicate(3);
        LogAppendInfo again = log.append(batch(4));
        assertFalse(again.duplicate(), "the state no longer holds the lost batch");
        assertEquals(8, again.firstOffset());
    }

    @Test
    void onlyTheNewestTwoSnapshotsAreKept() throws IOException {
        openAndAppend(10); // rolls at 6, 12 and 18
        assertEquals(List.of(12L, 18L), snapshots());
    }

    @Test
    void theIdleTimeOfAProducerSurvivesARestart() {
        openAndAppend(1).close();
        clock.advance(ProducerStateManager.DEFAULT_PRODUCER_ID_EXPIRATION_MS);
        open();
        assertEquals(1, log.removeExpiredProducers(clock.millis(),
                ProducerStateManager.DEFAULT_PRODUCER_ID_EXPIRATION_MS));
        assertThrows(UnknownProducerIdException.class, () -> log.append(batch(1)));
    }
}
