package dev.tributary.broker.transaction;

import java.util.List;

/**
 * A transaction whose records are durable in the {@link TransactionLog} but not yet in their partitions.
 *
 * @param id          the transaction id the adapter chose (an encoded XA Xid, or a generated id)
 * @param producerId  the producer id of all its batches, unique to this transaction: it identifies the batches a
 *                    commit has already appended
 * @param recordCount how many records the transaction has (its batches' record indexes are 0 to count - 1)
 * @param batches     one batch per partition
 */
record PreparedTransaction(String id, long producerId, int recordCount, List<PreparedBatch> batches) {

    PreparedTransaction {
        batches = List.copyOf(batches);
    }
}
