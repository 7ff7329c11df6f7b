package dev.tributary.broker.log;

import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static dev.tributary.broker.log.TestRecords.batch;
import static dev.tributary.broker.log.TestRecords.idempotentBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A follower cutting its log back to where it agrees with the leader's, or starting over. */
class PartitionLogTruncationTest extends OneLogTest {
    /** One two-record batch per segment, an index entry for every batch. */
    private static final Map<String, String> SMALL_SEGMENTS = Map.of("segment.bytes", "150",
            "index.interval.bytes", "0");

    private PartitionLog open(Map<String, String> overrides) {
        return open(overrides, false);
    }

    /** Batches 0..1 and 2..3 at epoch 0, 4..5 and 6..7 at epoch 2, 8..9 at epoch 4; one segment each. */
    private PartitionLog openWithFiveBatches() {
        open(SMALL_SEGMENTS);
        for (int i = 0; i < 5; i++) {
            if (i == 2)
                log.assignLeaderEpoch(2);
            if (i == 4)
                log.assignLeaderEpoch(4);
            log.append(batch(i, "b" + i + "r0", "b" + i + "r1"));
        }
        assertEquals(5, log.segmentCount());
        return log;
    }

    private List<Long> baseOffsets(long from) {
        List<Long> out = new ArrayList<>();
        long next = from;
        while (next < log.logEndOffset()) {
            for (RecordBatch b : log.read(next, 1 << 20, FetchIsolation.LOG_END).records().batches()) {
                b.ensureValid();
                out.add(b.baseOffset());
                next = b.nextOffset();
            }
        }
        return out;
    }

    @Test
    void truncationRemovesEverythingFromTheOffsetOnAcrossSegments() {
        openWithFiveBatches();
        log.updateHighWatermark(8);

        assertEquals(4, log.truncateTo(4));

        assertEquals(4, log.logEndOffset());
        assertEquals(3, log.segmentCount(), "the segment starting at the cut stays, empty and active");
        assertEquals(List.of(0L, 2L), baseOffsets(0));
        assertEquals(4, log.highWatermark());
        assertTrue(log.recoveryPoint() <= 4);
        assertEquals(OptionalInt.of(0), log.latestLeaderEpoch(), "epochs 2 and 4 started at or after the cut");
        assertEquals(new EpochEndOffset(0, 4), log.endOffsetForEpoch(0));
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(5, 1 << 20, FetchIsolation.LOG_END));

        log.assignLeaderEpoch(5);
        assertEquals(4, log.append(batch(9L, "new")).firstOffset());
        assertEquals(List.of(0L, 2L, 4L), baseOffsets(0));
        assertEquals(new EpochEndOffset(0, 4), log.endOffsetForEpoch(3));
    }

    @Test
    void anOffsetInsideABatchCutsAtTheBatchsBaseOffset() {
        openWithFiveBatches();

        assertEquals(6, log.truncateTo(7));
        assertEquals(List.of(0L, 2L, 4L), baseOffsets(0));
        assertEquals(new EpochEndOffset(2, 6), log.endOffsetForEpoch(2));
        assertEquals(EpochEndOffset.UNDEFINED, log.endOffsetForEpoch(4));
    }

    @Test
    void aCutInsideOneSegmentKeepsItsFirstBatches() {
        open(Map.of("index.interval.bytes", "0"));
        for (int i = 0; i < 5; i++)
            log.append(batch(i, "b" + i + "r0", "b" + i + "r1"));

        assertEquals(6, log.truncateTo(6));
        assertEquals(1, log.segmentCount());
        assertEquals(List.of(0L, 2L, 4L), baseOffsets(0));
        assertEquals(6, log.append(batch(9L, "x")).firstOffset());
        assertEquals(List.of(0L, 2L, 4L, 6L), baseOffsets(0));
        assertEquals(4, log.offsetForTimestamp(2).orElseThrow().offset(), "the indexes still work");
        assertTrue(log.offsetForTimestamp(10).isEmpty(), "no timestamp of a removed batch is remembered");
    }

    @Test
    void truncatingAtOrBeyondTheLogEndChangesNothing() {
        openWithFiveBatches();
        assertEquals(10, log.truncateTo(10));
        assertEquals(10, log.truncateTo(50));
        assertEquals(5, log.segmentCount());
        assertEquals(OptionalInt.of(4), log.latestLeaderEpoch());
    }

    @Test
    void aTruncatedLogReopensTruncatedWithItsEpochHistory() {
        openWithFiveBatches();
        log.truncateTo(6);
        log.assignLeaderEpoch(6);
        log.append(batch(9L, "after"));
        log.close();

        open(SMALL_SEGMENTS);
        assertEquals(7, log.logEndOffset());
        assertEquals(List.of(0L, 2L, 4L, 6L), baseOffsets(0));
        assertEquals(new EpochEndOffset(2, 6), log.endOffsetForEpoch(2));
        assertEquals(new EpochEndOffset(2, 6), log.endOffsetForEpoch(4));
        assertEquals(new EpochEndOffset(6, 7), log.endOffsetForEpoch(6));
    }

    @Test
    void aCrashAfterTruncationRecoversTheTruncatedLog() {
        openWithFiveBatches();
        log.truncateTo(6);
        log.append(batch(9L, "after"));
        log = null; // a crash: abandoned without close

        open(SMALL_SEGMENTS);
        assertEquals(7, log.logEndOffset());
        assertEquals(List.of(0L, 2L, 4L, 6L), baseOffsets(0));
        assertEquals(2, log.read(6, 1 << 20, FetchIsolation.LOG_END).records().batches().iterator().next()
                .partitionLeaderEpoch(), "appended after the cut, where epoch 2 is the latest again");
        assertEquals(new EpochEndOffset(2, 7), log.endOffsetForEpoch(2));
        assertEquals(EpochEndOffset.UNDEFINED, log.endOffsetForEpoch(4));
        assertFalse(Files.exists(LogFiles.logFile(dir(), 8)), "removed segments stay removed");
    }

    @Test
    void truncationForgetsTheProducerBatchesItRemoves() {
        open(Map.of());
        log.append(idempotentBatch(7L, (short) 0, 0, 1L, "a", "b"));
        log.append(idempotentBatch(7L, (short) 0, 2, 1L, "c"));

        log.truncateTo(2);

        LogAppendInfo again = log.append(idempotentBatch(7L, (short) 0, 2, 1L, "c"));
        assertFalse(again.duplicate(), "the batch with sequence 2 is no longer in the log");
        assertEquals(2, again.firstOffset());
        assertTrue(log.append(idempotentBatch(7L, (short) 0, 0, 1L, "a", "b")).duplicate());
    }

    @Test
    void startingOverEmptiesTheLogAtTheNewStart() {
        openWithFiveBatches();
        log.append(idempotentBatch(7L, (short) 0, 0, 1L, "p"));
        List<Long> highWatermarks = new ArrayList<>();
        log.addAppendListener((tp, hw) -> highWatermarks.add(hw));

        log.truncateFullyAndStartAt(40);

        assertEquals(40, log.logStartOffset());
        assertEquals(40, log.logEndOffset());
        assertEquals(40, log.highWatermark());
        assertEquals(List.of(40L), highWatermarks);
        assertEquals(1, log.segmentCount());
        assertEquals(OptionalInt.of(0), log.latestLeaderEpoch(), "the history starts over");
        assertEquals(0, log.read(40, 1 << 20, FetchIsolation.LOG_END).records().sizeInBytes());
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(8, 1 << 20, FetchIsolation.LOG_END));
        assertThrows(org.apache.kafka.common.errors.UnknownProducerIdException.class,
                () -> log.append(idempotentBatch(7L, (short) 0, 1, 1L, "q")), "producer state starts over");

        assertEquals(40, log.append(batch(1L, "x")).firstOffset());
        log.close();
        open(SMALL_SEGMENTS);
        assertEquals(40, log.logStartOffset());
        assertEquals(List.of(40L), baseOffsets(40));
    }

    @Test
    void startingOverWithinTheLogRemovesWhatFollowsTheNewStart() {
        openWithFiveBatches();

        log.truncateFullyAndStartAt(5);
        log = null; // a crash right after

        open(SMALL_SEGMENTS);
        assertEquals(5, log.logStartOffset());
        assertEquals(5, log.logEndOffset());
        assertEquals(1, log.segmentCount());
    }
}
