package dev.tributary.broker.log;

import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.util.Map;

/**
 * Which batches and records one cleaning pass keeps, as Kafka's cleaner decides (its {@code cleanInto} filter).
 * {@link MemoryRecords#filterTo} applies it and rewrites the batches that lose records; a kept record keeps its
 * offset, timestamp and headers, and a rewritten batch keeps its base and last offsets, producer id, epoch and base
 * sequence, so offsets never change and a producer's last sequence survives.
 *
 * <p>A record is kept if its offset is at or beyond what the {@link OffsetMap} covers, or it is the latest of its key
 * in the map (or its key is not in the map: it was deduplicated by an earlier cleaning). A kept tombstone (null value)
 * stays until {@code delete.retention.ms} after the cleaning that first kept it: {@code filterTo} stamps that
 * deadline in its batch (Kafka's delete horizon, KIP-534), and a cleaning after it drops the tombstone. A record
 * without a key is dropped (a compacted topic refuses them; they can only come from before the topic was compacted).
 *
 * <p>Transactions ({@link CleanedTransactions} tells which batch belongs to which): the records of an aborted
 * transaction are all dropped, whatever their keys; a committed transaction's records are compacted like any other.
 * A transaction marker stays while anything of its transaction is left before it; after that the first cleaning
 * stamps it with a delete horizon {@code delete.retention.ms} ahead, as a tombstone's, and the first cleaning after
 * the horizon drops it (Kafka's rule: a read_committed consumer that read the transaction's records before they
 * were removed still gets its marker within that time).
 *
 * <p>A batch with no record left is dropped, except the last batch of a producer (its producer state, sequence or
 * epoch, must survive a reload of the log: its last data batch, or its marker if that bumped its epoch) and the last batch of
 * the cleaned segments (so that the compacted segment ends where they did and the loader recognises what it
 * replaced, see {@link LocalLog#replaceSegments}): those are kept empty.
 *
 * <p>One per group of segments; used by the cleaning thread only.
 */
final class CompactionFilter extends MemoryRecords.RecordFilter {
    private final OffsetMap map;
    private final long mapEnd;
    private final Map<Long, Long> lastOffsetsOfProducers;
    private final CleanedTransactions txns;
    private final long lastBatchEnd;
    private final CleanerStats stats;
    /**
     * Set by {@link #checkBatchRetention} for the records of the batch being filtered: the batch belongs to an
     * aborted transaction, or is a marker past its delete horizon with nothing of its transaction left.
     */
    private boolean dropAllRecords;
    private boolean changed;

    /**
     * @param map                    the latest offset of each key of the dirty part this pass covers
     * @param mapEnd                 the offset after what the map covers: later records are all kept
     * @param lastOffsetsOfProducers each producer's last data batch (or marker, after an epoch bump), by last offset
     * @param txns                   the transactions of the batches read so far in this pass, in offset order
     * @param lastBatchEnd           the next offset of the last batch of the segments being cleaned together
     */
    CompactionFilter(long nowMs, long deleteRetentionMs, OffsetMap map, long mapEnd,
                     Map<Long, Long> lastOffsetsOfProducers, CleanedTransactions txns, long lastBatchEnd,
                     CleanerStats stats) {
        super(nowMs, deleteRetentionMs);
        this.map = map;
        this.mapEnd = mapEnd;
        this.lastOffsetsOfProducers = lastOffsetsOfProducers;
        this.txns = txns;
        this.lastBatchEnd = lastBatchEnd;
        this.stats = stats;
    }

    /** Whether the output differs from the input: a record or batch was dropped, or a tombstone got its deadline. */
    boolean changed() {
        return changed;
    }

    @Override
    protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
        boolean marker = batch.isControlBatch();
        boolean transactionGone = marker ? txns.onControlBatch(batch) : txns.onDataBatch(batch);
        boolean markerDue = marker && transactionGone && batch.deleteHorizonMs().isPresent()
                && currentTime >= batch.deleteHorizonMs().getAsLong();
        dropAllRecords = marker ? markerDue : transactionGone;
        boolean emptied = Integer.valueOf(0).equals(batch.countOrNull()); // by an earlier cleaning
        Long producersLast = batch.hasProducerId() ? lastOffsetsOfProducers.get(batch.producerId()) : null;
        boolean keepEmpty = (producersLast != null && producersLast == batch.lastOffset())
                || batch.nextOffset() == lastBatchEnd;
        BatchRetention retention;
        if (keepEmpty) {
            retention = BatchRetention.RETAIN_EMPTY;
        } else if (dropAllRecords) {
            retention = BatchRetention.DELETE;
            changed = true;
        } else {
            retention = BatchRetention.DELETE_EMPTY;
            if (emptied)
                changed = true; // an empty batch that is no longer needed goes
        }
        if (marker && transactionGone && !markerDue && !emptied) {
            // filterTo stamps the horizon on a marker that has none; the sweep after it removes the marker
            long horizon = batch.deleteHorizonMs().orElse(currentTime + deleteRetentionMs);
            changed |= batch.deleteHorizonMs().isEmpty();
            stats.tombstoneKept(horizon);
        }
        return new BatchRetentionResult(retention, marker && transactionGone);
    }

    @Override
    protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
        if (dropAllRecords)
            return drop();
        if (batch.isControlBatch() || record.offset() >= mapEnd)
            return true;
        if (!record.hasKey())
            return drop();
        if (record.offset() < map.get(record.key()))
            return drop();
        if (record.hasValue())
            return true;
        if (batch.deleteHorizonMs().isPresent()) {
            long horizon = batch.deleteHorizonMs().getAsLong();
            if (currentTime >= horizon)
                return drop();
            stats.tombstoneKept(horizon);
        } else {
            changed = true; // filterTo rewrites the batch with its delete horizon
            stats.tombstoneKept(currentTime + deleteRetentionMs);
        }
        return true;
    }

    private boolean drop() {
        changed = true;
        return false;
    }
}
