package dev.tributary.broker.log;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Tells, batch by batch in offset order, which batches of one {@link FetchIsolation#TXN_COMMITTED} read a
 * read_committed reader must skip: markers, and the batches of aborted transactions. The same rule kafka-clients'
 * fetcher applies to a Fetch response: an aborted transaction's producer is "aborted" from the transaction's first
 * offset until its abort marker, and its transactional batches in between are dropped.
 *
 * <p>One filter per read result ({@link FetchDataInfo#abortedTransactions()} covers the transactions that overlap
 * that read from its first offset on). Not thread-safe.
 */
public final class AbortedTransactionFilter {

    private final Queue<AbortedTxn> pending;
    private final Set<Long> abortedProducers = new HashSet<>();

    public AbortedTransactionFilter(List<AbortedTxn> aborted) {
        this.pending = aborted.isEmpty() ? new ArrayDeque<>()
                : new PriorityQueue<>(Comparator.comparingLong(AbortedTxn::firstOffset));
        pending.addAll(aborted);
    }

    /** Whether a read_committed reader skips {@code batch}; call for every batch of the read, in order. */
    public boolean skips(RecordBatch batch) {
        while (!pending.isEmpty() && pending.peek().firstOffset() <= batch.lastOffset())
            abortedProducers.add(pending.poll().producerId());
        if (batch.isControlBatch()) {
            abortedProducers.remove(batch.producerId()); // a commit marker of a producer never aborted changes nothing
            return true;
        }
        return batch.isTransactional() && abortedProducers.contains(batch.producerId());
    }
}
