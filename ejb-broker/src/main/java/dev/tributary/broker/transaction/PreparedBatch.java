package dev.tributary.broker.transaction;

import java.util.Arrays;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * A prepared transaction's records for one partition: one idempotent batch (the transaction's producer id, epoch
 * 0, sequence 0), ready to append.
 *
 * @param partition     where it goes
 * @param searchFrom    the partition's log end offset when the transaction was prepared: the batch, if a commit
 *                      already appended it, is at or after this offset
 * @param recordIndexes for each record of the batch, its index among the transaction's records
 * @param records       the batch
 */
record PreparedBatch(TopicPartition partition, long searchFrom, int[] recordIndexes, MemoryRecords records) {

    PreparedBatch {
        recordIndexes = recordIndexes.clone();
    }

    @Override
    public int[] recordIndexes() {
        return recordIndexes.clone();
    }

    /** A fresh view of the batch bytes: an append assigns offsets in place, which a retry must not see. */
    MemoryRecords freshRecords() {
        return MemoryRecords.readableRecords(records.buffer().duplicate());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PreparedBatch that && partition.equals(that.partition)
                && searchFrom == that.searchFrom && Arrays.equals(recordIndexes, that.recordIndexes)
                && records.buffer().equals(that.records.buffer());
    }

    @Override
    public int hashCode() {
        return partition.hashCode() * 31 + Arrays.hashCode(recordIndexes);
    }
}
