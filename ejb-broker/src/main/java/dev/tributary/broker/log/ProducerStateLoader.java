package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * Rebuilds a partition's {@link ProducerStateManager} while {@link LogLoader} opens the log: the newest usable
 * snapshot at or below the recovery point (and the first recovered segment), then every batch from the snapshot's
 * offset to the log end.
 *
 * <p>Those batches come from the loader's own recovery scan wherever it has one (this class is the scan's
 * {@link RecordBatchScanner.BatchVisitor}), so segments validated after a crash are read once. Only segments the
 * loader trusts without scanning and that hold batches after the snapshot have their batch headers read here.
 * After a clean shutdown the snapshot is at the log end offset and nothing is read at all.
 *
 * <p>Why snapshots at or below the recovery point only: data below it was fsynced before the snapshot was written
 * (a segment roll and a clean close checkpoint the recovery point first), so truncating a torn tail cannot remove
 * batches a chosen snapshot reflects. Should the log nevertheless end below the snapshot (the storage lost flushed
 * data), the snapshot is discarded and the state rebuilt from an older one, so it never keeps batches above the
 * log end.
 *
 * <p>Aborted transactions found in segments the loader recovers are entered in their rebuilt transaction indexes; for
 * that, the snapshot used is at or below the first recovered segment's base offset.
 *
 * <p>Used by the loading thread only.
 */
final class ProducerStateLoader implements RecordBatchScanner.BatchVisitor {
    private static final Logger LOG = Logger.getLogger(ProducerStateLoader.class.getName());

    private final ProducerStateManager state;
    private final TopicPartition tp;
    private final long nowMs;
    private long replayFrom;
    private LogSegment rebuilding;

    /**
     * @param recoveryPoint the checkpointed recovery point, or the first recovered segment's base offset if lower;
     *                      newer snapshots are not used
     * @param nowMs         the time replayed producers count as last active: a crash must not make them expire early
     */
    ProducerStateLoader(Path dir, TopicPartition tp, long recoveryPoint, long nowMs) throws IOException {
        this.state = new ProducerStateManager(dir, tp);
        this.tp = tp;
        this.nowMs = nowMs;
        this.replayFrom = state.loadLatestSnapshot(recoveryPoint).orElse(0);
    }

    /**
     * From now on, aborted transactions found by {@link #accept} are entered in {@code segment}'s transaction index
     * (the segment being recovered, whose index was emptied); {@code null} stops that.
     */
    void rebuildingTxnIndexOf(LogSegment segment) {
        this.rebuilding = segment;
    }

    /** A valid batch found by the loader's scan, in offset order. */
    @Override
    public void accept(RecordBatch batch, int position) {
        if (batch.baseOffset() < replayFrom)
            return;
        Optional<CompletedTxn> completed = state.replay(batch, nowMs);
        if (completed.isEmpty())
            return;
        if (rebuilding != null && completed.get().aborted()) {
            try {
                rebuilding.txnIndex().append(new AbortedTxn(completed.get().producerId(),
                        completed.get().firstOffset(), completed.get().lastOffset(),
                        state.lastStableOffsetAfter(completed.get())));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot rebuild the transaction index of " + rebuilding, e);
            }
        }
        state.complete(completed.get());
    }

    /** Replays a segment the loader did not scan, if it holds batches the snapshot does not reflect. */
    void replayUnscanned(LogSegment segment, long segmentNextOffset) {
        if (segmentNextOffset > replayFrom)
            segment.forEachBatchFrom(replayFrom, this);
    }

    /**
     * Replays the batches of {@code segment} below {@code recoveryPoint} that the snapshot does not reflect: the
     * trusted part of the segment holding the recovery point, whose part above it the loader's scan then brings.
     */
    void replayBelow(LogSegment segment, long recoveryPoint) {
        if (recoveryPoint > replayFrom)
            segment.forEachBatchBetween(replayFrom, recoveryPoint, this);
    }

    /**
     * Completes the state for the loaded log: discards it in favour of an older snapshot if the log ends below the
     * one used, deletes snapshots beyond the log end and forgets producers below the log start.
     */
    ProducerStateManager finish(LogSegments segments, long logStartOffset, long logEndOffset) throws IOException {
        state.deleteSnapshotsAbove(logEndOffset);
        if (replayFrom > logEndOffset) {
            long discarded = replayFrom;
            replayFrom = state.loadLatestSnapshot(logEndOffset).orElse(0);
            long from = replayFrom;
            LOG.warning(() -> "Partition " + tp + ": the log ends at offset " + logEndOffset + ", below the"
                    + " producer-state snapshot at " + discarded + "; rebuilding producer state from offset " + from);
            for (LogSegment segment : segments.overlapping(replayFrom, logEndOffset))
                segment.forEachBatchFrom(replayFrom, this);
        }
        state.onLogStartOffsetIncremented(logStartOffset);
        return state;
    }
}
