package dev.tributary.broker.log;

import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static dev.tributary.broker.log.TestRecords.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The high watermark as state of its own: who raises it, what it bounds, how it survives a restart. */
class PartitionLogHighWatermarkTest extends OneLogTest {

    /** Batches of offsets 0..2, 3..4 and 5, in a replica whose high watermark is set by hand. */
    private PartitionLog openReplicaWithThreeBatches() {
        open(Map.of(), false);
        log.append(batch(1L, "a", "b", "c"));
        log.append(batch(2L, "d", "e"));
        log.append(batch(3L, "f"));
        return log;
    }

    private static List<Long> lastOffsetsOfBatches(FetchDataInfo info) {
        List<Long> out = new ArrayList<>();
        for (RecordBatch b : info.records().batches())
            out.add(b.lastOffset());
        return out;
    }

    @Test
    void appendsDoNotRaiseTheHighWatermarkOfAReplicaThatDoesNotFollowTheLogEnd() {
        openReplicaWithThreeBatches();
        assertEquals(6, log.logEndOffset());
        assertEquals(0, log.highWatermark());

        assertTrue(log.updateHighWatermark(3));
        assertEquals(3, log.highWatermark());
        assertFalse(log.updateHighWatermark(2), "never lowered");
        assertEquals(3, log.highWatermark());
        assertTrue(log.updateHighWatermark(100));
        assertEquals(6, log.highWatermark(), "capped at the log end offset");
        assertFalse(log.updateHighWatermark(100));
    }

    @Test
    void followingTheLogEndAgainRaisesTheHighWatermarkAtOnce() {
        openReplicaWithThreeBatches();
        List<Long> told = new ArrayList<>();
        log.addAppendListener((tp, hw) -> told.add(hw));

        log.setHighWatermarkFollowsLogEnd(true);
        assertEquals(6, log.highWatermark());
        log.append(batch(4L, "g"));
        assertEquals(7, log.highWatermark());
        assertEquals(List.of(6L, 7L), told);
    }

    @Test
    void appendListenersHearHighWatermarkRisesAndLogEndListenersHearAppends() {
        openReplicaWithThreeBatches();
        List<Long> highWatermarks = new ArrayList<>();
        List<Long> logEnds = new ArrayList<>();
        log.addAppendListener((tp, hw) -> highWatermarks.add(hw));
        log.addLogEndListener((tp, leo) -> logEnds.add(leo));

        log.append(batch(4L, "g"));
        assertEquals(List.of(), highWatermarks, "an append of a replica does not make records visible");
        assertEquals(List.of(7L), logEnds);
        log.updateHighWatermark(5);
        log.updateHighWatermark(4); // no rise, no call
        assertEquals(List.of(5L), highWatermarks);

        log.setHighWatermarkFollowsLogEnd(true);
        log.append(batch(5L, "h"));
        assertEquals(List.of(5L, 7L, 8L), highWatermarks);
        assertEquals(List.of(7L, 8L), logEnds);
    }

    @Test
    void aFailingListenerDoesNotFailTheAppendOrTheOtherListeners() {
        open(Map.of(), true);
        List<Long> told = new ArrayList<>();
        log.addLogEndListener((tp, leo) -> {
            throw new IllegalStateException("boom");
        });
        log.addAppendListener((tp, hw) -> {
            throw new IllegalStateException("boom");
        });
        log.addAppendListener((tp, hw) -> told.add(hw));
        try (LogCapture warnings = new LogCapture(PartitionLog.class)) {
            log.append(batch(1L, "a"));
            assertEquals(2, warnings.messagesAt(Level.WARNING).size());
        }
        assertEquals(List.of(1L), told);
    }

    @Test
    void consumersReadUpToTheHighWatermarkAndReplicasUpToTheLogEnd() {
        openReplicaWithThreeBatches();
        log.updateHighWatermark(3);

        FetchDataInfo visible = log.read(0, 1 << 20);
        assertInstanceOf(FileRecords.class, visible.records(), "still a zero-copy slice");
        assertEquals(List.of(2L), lastOffsetsOfBatches(visible));
        assertEquals(List.of(2L, 4L, 5L), lastOffsetsOfBatches(log.read(0, 1 << 20, FetchIsolation.LOG_END)));
        assertEquals(List.of(4L, 5L), lastOffsetsOfBatches(log.read(3, 1 << 20, FetchIsolation.LOG_END)));

        // at or beyond the high watermark but within the log: nothing yet, not an error
        assertEquals(0, log.read(3, 1 << 20).records().sizeInBytes());
        assertEquals(0, log.read(5, 1 << 20).records().sizeInBytes());
        assertEquals(0, log.read(6, 1 << 20).records().sizeInBytes());
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(7, 1 << 20));
    }

    @Test
    void aBatchStraddlingTheHighWatermarkIsLeftOut() {
        openReplicaWithThreeBatches();
        log.updateHighWatermark(4); // inside the batch 3..4

        assertEquals(List.of(2L), lastOffsetsOfBatches(log.read(0, 1 << 20)));
        assertEquals(0, log.read(3, 1 << 20).records().sizeInBytes(), "offset 3 is below the high watermark,"
                + " but its batch is not wholly visible");
    }

    @Test
    void theHighWatermarkBoundsReadsAcrossSegments() {
        // one batch per segment, and an index entry for every batch
        open(Map.of("segment.bytes", "100", "index.interval.bytes", "0"), false);
        for (int i = 0; i < 6; i++)
            log.append(batch(i, "v" + i));
        assertEquals(6, log.segmentCount());
        log.updateHighWatermark(4);

        assertEquals(List.of(0L), lastOffsetsOfBatches(log.read(0, 1 << 20)), "a slice is of one segment");
        assertEquals(List.of(3L), lastOffsetsOfBatches(log.read(3, 1 << 20)));
        assertEquals(0, log.read(4, 1 << 20).records().sizeInBytes());
        assertEquals(List.of(4L), lastOffsetsOfBatches(log.read(4, 1 << 20, FetchIsolation.LOG_END)));
    }

    @Test
    void aReplicaReopensAtItsCheckpointedHighWatermark() {
        openReplicaWithThreeBatches();
        log.updateHighWatermark(3);
        log.close();

        open(Map.of(), false);
        assertEquals(3, log.highWatermark());
        assertEquals(List.of(2L), lastOffsetsOfBatches(log.read(0, 1 << 20)));
        log.close();

        open(Map.of(), true);
        assertEquals(6, log.highWatermark(), "a log that follows its end starts there");
    }

    @Test
    void theHighWatermarkIsCheckpointedOnFlush() {
        openReplicaWithThreeBatches();
        log.updateHighWatermark(5);
        log.flush();
        log = null; // a crash: the log is abandoned without close

        open(Map.of(), false);
        assertEquals(5, log.highWatermark());
    }

    @Test
    void withoutACheckpointAReplicaStartsAtItsLogStartOffset() throws IOException {
        open(Map.of(), true);
        for (int i = 0; i < 5; i++)
            log.append(batch(i, "v" + i));
        log.advanceLogStartOffset(2);
        log.close();
        Files.delete(dir().resolve(LogFiles.HIGH_WATERMARK_FILE));

        open(Map.of(), false);
        assertEquals(2, log.highWatermark());
    }

    @Test
    void aCheckpointBeyondTheLogEndIsClampedToIt() throws IOException {
        open(Map.of(), true);
        log.append(batch(1L, "a", "b"));
        log.close();
        OffsetCheckpointFile.HIGH_WATERMARK.write(dir(), 100);

        open(Map.of(), false);
        assertEquals(2, log.highWatermark());
    }

    @Test
    void retentionKeepsSegmentsNotWhollyBelowTheHighWatermark() {
        open(Map.of("segment.bytes", "100", "retention.bytes", "0"), false);
        for (int i = 0; i < 6; i++)
            log.append(batch(i, "v" + i));
        log.updateHighWatermark(3);

        assertEquals(3, log.applyRetention(clock.millis()));
        assertEquals(3, log.logStartOffset());
        assertEquals(3, log.segmentCount());
        assertEquals(List.of(3L), lastOffsetsOfBatches(log.read(3, 1 << 20, FetchIsolation.LOG_END)));
    }
}
