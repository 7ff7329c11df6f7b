package dev.tributary.broker.log;

import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The producers of one partition log, as the log keeps them (the producer-state part of Kafka's {@code UnifiedLog}):
 * the idempotent and transactional producers' state ({@link ProducerStateManager}), the transactions open on the
 * partition and the last stable offset they hold back ({@link UnstableOffsets}), and the aborted transactions entered
 * in the transaction index as their markers are appended.
 *
 * <p><b>Invariants.</b> The state reflects every batch of the log up to its log end offset; an abort is in the
 * {@link TransactionIndex} of the segment holding its marker before the transaction counts as decided; the last
 * stable offset is the first offset of the earliest transaction not decided yet (or whose marker is not below the
 * high watermark yet), at most the high watermark and at least the log start offset.
 *
 * <p><b>Concurrency.</b> Every method but {@link #lastStableOffset} runs under the owning {@link PartitionLog}'s
 * write lock, with the append or truncation it belongs to. {@link #lastStableOffset} never locks: the open
 * transactions are published as an immutable {@link UnstableOffsets} in a volatile field, replaced whenever they
 * change.
 */
final class PartitionProducers {
    private final ProducerStateManager state;
    private final LocalLog local;
    private final HighWatermark highWatermark;
    private volatile UnstableOffsets unstable;

    /** @param state the producer state the loader rebuilt; this takes it over */
    PartitionProducers(ProducerStateManager state, LocalLog local, HighWatermark highWatermark) {
        this.state = state;
        this.local = local;
        this.highWatermark = highWatermark;
        this.unstable = UnstableOffsets.NONE.next(state.firstUndecidedOffset(), List.of(), highWatermark.offset());
    }

    /** The original offsets of {@code append} if it retries one of its producer's last batches. */
    Optional<LogAppendInfo> findDuplicate(ProducerAppend append) {
        return state.findDuplicate(append);
    }

    /**
     * Records appended batches: a marker that ends a transaction enters an abort in the active segment's
     * {@link TransactionIndex} (which holds the batches just appended) with the last stable offset after it, then
     * completes it; then the {@link UnstableOffsets} readers see are replaced.
     */
    void recordAppended(MemoryRecords appended, long nowMs) throws IOException {
        List<CompletedTxn> completed = new ArrayList<>(0);
        for (RecordBatch batch : appended.batches()) {
            Optional<CompletedTxn> ended = state.replay(batch, nowMs);
            if (ended.isEmpty())
                continue;
            CompletedTxn txn = ended.get();
            if (txn.aborted())
                local.activeSegment().txnIndex().append(new AbortedTxn(txn.producerId(), txn.firstOffset(),
                        txn.lastOffset(), state.lastStableOffsetAfter(txn)));
            state.complete(txn);
            completed.add(txn);
        }
        if (!completed.isEmpty() || state.firstUndecidedOffset().isPresent() || unstable != UnstableOffsets.NONE)
            unstable = unstable.next(state.firstUndecidedOffset(), completed, highWatermark.offset());
    }

    /** Checks a transaction marker against its producer's epoch and the coordinator epoch of its last marker. */
    void checkMarker(long producerId, short epoch, int coordinatorEpoch) {
        state.checkMarker(producerId, epoch, coordinatorEpoch);
    }

    /** See {@link PartitionLog#lastStableOffset()}. Any thread. */
    long lastStableOffset(long highWatermarkOffset, long logStartOffset) {
        return unstable.lastStableOffset(highWatermarkOffset, logStartOffset);
    }

    boolean inTransaction(long producerId, short epoch) {
        return state.inTransaction(producerId, epoch);
    }

    List<ActiveProducer> activeProducers() {
        return state.activeProducers();
    }

    /** For each producer, the last offset of the batch compaction keeps (see {@link ProducerStateManager}). */
    Map<Long, Long> lastOffsets() {
        return state.lastOffsets();
    }

    int removeExpiredProducers(long nowMs, long expirationMs) {
        return state.removeExpiredProducers(nowMs, expirationMs);
    }

    void onLogStartOffsetIncremented(long logStartOffset) throws IOException {
        state.onLogStartOffsetIncremented(logStartOffset);
    }

    void takeSnapshot(long logEndOffset) throws IOException {
        state.takeSnapshot(logEndOffset);
    }

    /**
     * Rebuilds the state for a log cut to end at {@code logEndOffset}: from the newest snapshot at or below it and
     * the batches after it (markers below the cut already have their transaction index entries).
     */
    void reload(long logEndOffset, long logStartOffset, long nowMs) throws IOException {
        state.deleteSnapshotsAbove(logEndOffset);
        long from = state.loadLatestSnapshot(logEndOffset).orElse(0);
        local.forEachBatch(from, logEndOffset,
                (batch, position) -> state.replay(batch, nowMs).ifPresent(state::complete));
        state.onLogStartOffsetIncremented(logStartOffset);
        unstable = UnstableOffsets.NONE.next(state.firstUndecidedOffset(), List.of(), highWatermark.offset());
    }

    /** Forgets every producer and snapshot: the log was emptied. */
    void clear() throws IOException {
        state.truncateFully();
        unstable = UnstableOffsets.NONE;
    }
}
