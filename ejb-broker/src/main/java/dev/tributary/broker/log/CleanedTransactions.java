package dev.tributary.broker.log;

import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The transactions a cleaning pass meets as it reads a log's batches in offset order (Kafka's
 * {@code CleanedTransactionMetadata}): which data batches belong to aborted transactions, which markers are no
 * longer needed, and which aborted transactions the compacted segment's {@link TransactionIndex} must still name.
 *
 * <p>The aborted transactions come from the source segments' transaction indexes ({@link #addAborted}); a
 * transactional batch of a producer with an aborted transaction that began at or before it and whose marker is not
 * read yet is aborted. Every other transactional batch belongs to a committed transaction: the cleaner only reads
 * below the last stable offset, so every transaction there is decided.
 *
 * <p>A marker may go once nothing of its transaction is left before it: an ABORT marker when this pass read no
 * batch of the aborted transaction (the cleaning before removed them all), a COMMIT marker when it read no batch of
 * the transaction at all. While any is left, an ABORT marker stays and its transaction is entered in the compacted
 * segment's index ({@link #writeTo}), so read_committed fetches keep filtering what remains.
 *
 * <p>Used by one cleaning thread, for one pass, reading batches in offset order.
 */
final class CleanedTransactions {
    private final PriorityQueue<AbortedTxn> notStarted =
            new PriorityQueue<>(Comparator.comparingLong(AbortedTxn::firstOffset));
    /** The aborted transaction each producer is in at the read position, and whether a batch of it was read. */
    private final Map<Long, OngoingAbort> aborting = new HashMap<>();
    /** Producers in a committed transaction of which a batch was read, until its marker. */
    private final Set<Long> committing = new HashSet<>();
    /** Where the entries of aborted transactions that stay go; null while only the offset map is built. */
    private TransactionIndex cleanedIndex;

    private static final class OngoingAbort {
        final AbortedTxn txn;
        boolean batchRead;

        OngoingAbort(AbortedTxn txn) {
            this.txn = txn;
        }
    }

    /** Adds the aborted transactions of the source segments that overlap the batches still to be read. */
    void addAborted(List<AbortedTxn> aborted) {
        notStarted.addAll(aborted);
    }

    /** From now on, aborted transactions that stay are entered in {@code index}, the next compacted segment's. */
    void writeTo(TransactionIndex index) {
        this.cleanedIndex = index;
    }

    /** A data batch was read: returns whether it belongs to an aborted transaction (and so may be removed). */
    boolean onDataBatch(RecordBatch batch) {
        startTransactionsUpTo(batch.lastOffset());
        if (!batch.isTransactional())
            return false;
        OngoingAbort abort = aborting.get(batch.producerId());
        if (abort != null) {
            abort.batchRead = true;
            return true;
        }
        committing.add(batch.producerId());
        return false;
    }

    /**
     * A control batch (a transaction marker) was read: returns whether nothing of its transaction is left before it,
     * so that it may go once its delete horizon passed.
     */
    boolean onControlBatch(RecordBatch batch) {
        startTransactionsUpTo(batch.lastOffset());
        Iterator<Record> records = batch.iterator();
        if (!records.hasNext())
            return true; // an earlier cleaning already removed the marker's record
        ControlRecordType type = ControlRecordType.parse(records.next().key());
        long producerId = batch.producerId();
        if (type == ControlRecordType.ABORT) {
            OngoingAbort abort = aborting.remove(producerId);
            if (abort == null || !abort.batchRead)
                return true;
            if (cleanedIndex != null) {
                try {
                    cleanedIndex.append(abort.txn);
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot write the transaction index of the compacted segment "
                            + cleanedIndex.file(), e);
                }
            }
            return false;
        }
        if (type == ControlRecordType.COMMIT)
            return !committing.remove(producerId);
        return false;
    }

    private void startTransactionsUpTo(long offset) {
        while (!notStarted.isEmpty() && notStarted.peek().firstOffset() <= offset) {
            AbortedTxn txn = notStarted.poll();
            aborting.putIfAbsent(txn.producerId(), new OngoingAbort(txn));
        }
    }
}
