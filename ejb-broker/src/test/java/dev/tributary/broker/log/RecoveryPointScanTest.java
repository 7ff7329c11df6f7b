package dev.tributary.broker.log;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

import static dev.tributary.broker.log.TestRecords.BatchLocation;
import static dev.tributary.broker.log.TestRecords.ReadRecord;
import static dev.tributary.broker.log.TestRecords.batch;
import static dev.tributary.broker.log.TestRecords.batchLocations;
import static dev.tributary.broker.log.TestRecords.bytes;
import static dev.tributary.broker.log.TestRecords.flipByte;
import static dev.tributary.broker.log.TestRecords.idempotentBatch;
import static dev.tributary.broker.log.TestRecords.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After a crash only the data above the checkpointed recovery point is validated: the segment holding it from the
 * recovery point's batch on, found from the batch headers below it. "Crash" means the log object is abandoned
 * without close, as a killed process leaves it: indexes untrimmed, the checkpoint at the last {@link
 * PartitionLog#flush()}.
 */
class RecoveryPointScanTest extends OneLogTest {
    private static final Map<String, String> CONFIG = Map.of(LogConfig.INDEX_INTERVAL_BYTES, "100");
    private static final long PID = 41;
    private static final short EPOCH = 2;

    private Path segment() {
        return LogFiles.logFile(dir(), 0);
    }

    private PartitionLog open() {
        return open(CONFIG, true);
    }

    private void crash() {
        log = null;
    }

    /** Appends {@code count} batches of two records with timestamps that grow by 10 ms a batch. */
    private void append(int count) {
        for (int i = 0; i < count; i++) {
            clock.advance(10);
            log.append(batch(clock.millis(), "v" + log.logEndOffset(), "w" + log.logEndOffset()));
        }
    }

    private static long bytesOf(List<BatchLocation> batches) {
        return batches.stream().mapToLong(BatchLocation::size).sum();
    }

    @Test
    void aCrashValidatesOnlyTheBatchesAboveTheRecoveryPoint() throws IOException {
        open();
        append(30);
        log.flush(); // checkpoints the recovery point at offset 60
        append(3);
        List<ReadRecord> before = readAll(log);
        Optional<TimestampOffset> byTime = log.offsetForTimestamp(clock.millis() - 200);
        crash();
        List<BatchLocation> batches = batchLocations(segment());
        List<BatchLocation> tail = batches.subList(30, 33);

        open();
        RecoveryInfo info = log.recoveryInfo();
        assertFalse(info.cleanShutdown());
        assertEquals(1, info.segmentsRecovered());
        assertEquals(3, info.batchesValidated(), "only the batches above the recovery point are validated");
        assertEquals(bytesOf(tail), info.bytesValidated());
        assertEquals(before, readAll(log));
        assertEquals(before.subList(40, 66), TestRecords.readFrom(log, 40, 1 << 20), "the rebuilt index finds 40");
        assertEquals(byTime, log.offsetForTimestamp(clock.millis() - 200), "and the time index still answers");
        assertEquals(66, log.append(batch(clock.millis(), "after")).firstOffset());
    }

    @Test
    void thePeriodicCheckpointBoundsTheScanWithoutAFlush() throws IOException {
        open();
        append(10);
        log.checkpointRecoveryPoint();
        append(2);
        crash();

        open();
        assertEquals(2, log.recoveryInfo().batchesValidated());
        assertEquals(24, log.logEndOffset());
    }

    @Test
    void aTornWriteAboveTheRecoveryPointIsStillTruncated() throws IOException {
        open();
        append(10);
        log.flush();
        append(2);
        crash();
        BatchLocation last = batchLocations(segment()).get(11);
        TestRecords.truncate(segment(), last.position() + 25);

        open();
        assertEquals(22, log.logEndOffset());
        assertEquals(25, log.recoveryInfo().bytesTruncated());
        assertEquals(1, log.recoveryInfo().batchesValidated());
        assertEquals(22, log.append(batch(clock.millis(), "after")).firstOffset());
    }

    @Test
    void damageAboveTheRecoveryPointFollowedByAValidBatchRefusesTheLog() throws IOException {
        open();
        append(10);
        log.flush();
        append(3);
        crash();
        BatchLocation middle = batchLocations(segment()).get(11);
        flipByte(segment(), middle.position() + middle.size() - 1);

        LogCorruptionException e = assertThrows(LogCorruptionException.class, this::open);
        assertEquals(middle.position(), e.position());
        assertTrue(e.getMessage().contains("a valid batch with offsets 24..25"), e.getMessage());
    }

    /**
     * The trade: damage below the checkpointed recovery point is not looked for at start (the data was fsynced;
     * the scrubber verifies it once its segment is sealed), as for the segments below it.
     */
    @Test
    void damageBelowTheRecoveryPointIsLeftToTheScrubber() throws IOException {
        open();
        append(10);
        log.flush();
        crash();
        BatchLocation third = batchLocations(segment()).get(2);
        flipByte(segment(), third.position() + third.size() - 1);

        open();
        assertEquals(0, log.recoveryInfo().bytesValidated());
        assertEquals(20, log.logEndOffset());
    }

    @Test
    void whenTheHeadersBelowTheRecoveryPointDoNotLeadThereTheWholeSegmentIsValidated() throws IOException {
        open();
        append(10);
        log.flush();
        crash();
        OffsetCheckpointFile.RECOVERY_POINT.write(dir(), 13); // inside the batch 12..13: not what was fsynced

        try (LogCapture warnings = new LogCapture(LogLoader.class)) {
            open();
            assertEquals(10, log.recoveryInfo().batchesValidated());
            assertEquals(bytesOf(batchLocations(segment())), log.recoveryInfo().bytesValidated());
            assertEquals(20, log.logEndOffset());
            assertTrue(warnings.messagesAt(Level.WARNING).stream().anyMatch(m -> m.contains("do not lead to it")),
                    warnings.messagesAt(Level.WARNING).toString());
        }
    }

    @Test
    void producerStateAndAbortsOnBothSidesOfTheRecoveryPointSurvive() throws IOException {
        open();
        log.append(idempotentBatch(PID, EPOCH, 0, clock.millis(), "i0"));                        // offset 0
        log.append(transactional(7, 0, "a1"));                                                   // 1
        log.appendTransactionMarker(7, EPOCH, 0, ControlRecordType.ABORT);                       // 2
        log.flush(); // recovery point 3
        log.append(idempotentBatch(PID, EPOCH, 1, clock.millis(), "i1"));                        // 3
        log.append(transactional(8, 0, "b1"));                                                   // 4
        log.appendTransactionMarker(8, EPOCH, 0, ControlRecordType.ABORT);                       // 5
        List<AbortedTxn> aborted = log.read(0, 1 << 20, FetchIsolation.TXN_COMMITTED).abortedTransactions();
        assertEquals(2, aborted.size());
        crash();

        open();
        assertEquals(3, log.recoveryInfo().batchesValidated());
        assertEquals(aborted, log.read(0, 1 << 20, FetchIsolation.TXN_COMMITTED).abortedTransactions(),
                "the abort below the recovery point is kept once, the one above it indexed again");
        assertTrue(log.append(idempotentBatch(PID, EPOCH, 1, clock.millis(), "i1")).duplicate(),
                "the producer's batch above the recovery point is known");
        assertTrue(log.append(idempotentBatch(PID, EPOCH, 0, clock.millis(), "i0")).duplicate(),
                "and the one below it");
        assertEquals(6, log.append(idempotentBatch(PID, EPOCH, 2, clock.millis(), "i2")).firstOffset());
    }

    private MemoryRecords transactional(long producerId, int firstSeq, String value) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, EPOCH, firstSeq,
                new SimpleRecord(clock.millis(), null, bytes(value)));
    }
}
