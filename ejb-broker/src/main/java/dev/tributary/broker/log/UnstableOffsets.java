package dev.tributary.broker.log;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * What holds a partition's last stable offset (LSO) back below its high watermark (Kafka's first unstable offset):
 * the first offset of the earliest open transaction, and transactions whose marker is written but not yet below the
 * high watermark (a new leader might not have the marker, so they are not decided for consumers yet).
 *
 * <p>Immutable: the log's writer publishes a new one after every change of its producer state, and readers compute
 * the LSO from it and the high watermark they read, without a lock.
 *
 * @param firstUndecided first offset of the earliest open transaction, {@code Long.MAX_VALUE} if none is open
 * @param unreplicated   transactions whose marker was at or above the high watermark when this was published
 */
record UnstableOffsets(long firstUndecided, List<CompletedTxn> unreplicated) {

    static final UnstableOffsets NONE = new UnstableOffsets(Long.MAX_VALUE, List.of());

    UnstableOffsets {
        unreplicated = List.copyOf(unreplicated);
    }

    /**
     * The last stable offset: the first offset not yet decided, but never above {@code highWatermark} nor below
     * {@code logStartOffset} (a transaction that started in deleted records holds it back at the log start).
     */
    long lastStableOffset(long highWatermark, long logStartOffset) {
        long first = firstUndecided;
        for (CompletedTxn txn : unreplicated) {
            if (txn.lastOffset() >= highWatermark)
                first = Math.min(first, txn.firstOffset());
        }
        return Math.min(highWatermark, Math.max(first, logStartOffset));
    }

    /**
     * The next value after the producer state changed: its first undecided offset, the transactions it just
     * completed added, and those whose marker is now below {@code highWatermark} dropped.
     */
    UnstableOffsets next(OptionalLong undecided, List<CompletedTxn> completed, long highWatermark) {
        List<CompletedTxn> still = new ArrayList<>(unreplicated.size() + completed.size());
        for (CompletedTxn txn : unreplicated) {
            if (txn.lastOffset() >= highWatermark)
                still.add(txn);
        }
        for (CompletedTxn txn : completed) {
            if (txn.lastOffset() >= highWatermark)
                still.add(txn);
        }
        long first = undecided.orElse(Long.MAX_VALUE);
        if (still.isEmpty() && first == Long.MAX_VALUE)
            return NONE;
        return new UnstableOffsets(first, still);
    }
}
