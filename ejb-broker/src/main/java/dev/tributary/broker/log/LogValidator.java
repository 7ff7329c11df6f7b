package dev.tributary.broker.log;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.CloseableIterator;
import org.apache.kafka.common.utils.internals.BufferSupplier;

/**
 * Checks a produce request's batches and assigns their offsets (the part of Kafka's {@code LogValidator} that
 * applies to RecordBatch v2 without idempotence or transactions), and checks batches replicated from a leader.
 *
 * <p>{@link #validate} runs before the log's write lock is taken, so CRC checks of concurrent producers run in
 * parallel; it either accepts every batch or throws, so a request is written entirely or not at all.
 * {@link #assignOffsets} runs under the write lock and rewrites the batches' headers in place.
 */
final class LogValidator {

    /**
     * Facts about an accepted request.
     *
     * @param recordCount number of records over all batches
     * @param sizeInBytes bytes to append
     */
    record ValidatedRecords(int recordCount, int sizeInBytes) {
    }

    /**
     * The offsets and timestamps after assignment.
     *
     * @param firstOffset  offset of the first record
     * @param lastOffset   offset of the last record
     * @param maxTimestamp largest record timestamp, -1 if none
     */
    record AssignedOffsets(long firstOffset, long lastOffset, long maxTimestamp) {
    }

    private LogValidator() {
    }

    /**
     * Accepts {@code records} or throws without side effects.
     *
     * @throws InvalidRecordException        empty request, a batch that is not v2, has no records, has a last-offset
     *                                       delta that disagrees with its record count, or is a control batch; for
     *                                       a compacted log ({@code cleanup.policy} with {@code compact}), a record
     *                                       without a key
     * @throws CorruptRecordException        a batch fails its CRC or its length field, or the request ends in a partial
     *                                       batch
     * @throws RecordTooLargeException       a batch is larger than {@code max.message.bytes}
     * @throws RecordBatchTooLargeException  the request is larger than {@code segment.bytes}, so no segment can hold it
     * @throws InvalidTimestampException     a {@code CreateTime} batch has a negative timestamp other than -1
     */
    static ValidatedRecords validate(TopicPartition tp, MemoryRecords records, LogConfig config) {
        return validate(tp, records, config, false);
    }

    /**
     * Accepts batches replicated from the leader or throws without side effects: the checks of {@link #validate}
     * that protect the log's format (v2, CRC, sizes), not those that judge a producer's request (control batches,
     * timestamps, keys), which the leader made. A batch the leader's cleaner compacted holds fewer records than its
     * offsets span, or none at all (kept for its producer's sequence, or to mark where a cleaned segment ends), so
     * only more records than offsets is refused.
     */
    static ValidatedRecords validateReplicated(TopicPartition tp, MemoryRecords records, LogConfig config) {
        return validate(tp, records, config, true);
    }

    private static ValidatedRecords validate(TopicPartition tp, MemoryRecords records, LogConfig config,
                                             boolean replicated) {
        int size = records.sizeInBytes();
        if (size == 0)
            throw new InvalidRecordException("Append to partition " + tp + " contains no record batches");
        if (size > config.segmentBytes())
            throw new RecordBatchTooLargeException("Append of " + size + " bytes to partition " + tp
                    + " exceeds the configured segment size of " + config.segmentBytes() + " bytes (segment.bytes)");
        int position = 0;
        int batchNumber = 0;
        long recordCount = 0;
        for (MutableRecordBatch batch : records.batches()) {
            String where = "batch " + batchNumber + " at byte " + position + " of the append to partition " + tp;
            if (batch.magic() != RecordBatch.MAGIC_VALUE_V2)
                throw new InvalidRecordException("Record " + where + " has magic " + batch.magic()
                        + "; only RecordBatch v2 (magic 2) is accepted");
            int batchSize = batch.sizeInBytes();
            if (batchSize > config.maxMessageBytes())
                throw new RecordTooLargeException("Record " + where + " is " + batchSize
                        + " bytes, larger than the configured max.message.bytes of " + config.maxMessageBytes());
            try {
                batch.ensureValid();
            } catch (CorruptRecordException e) {
                throw new CorruptRecordException("Record " + where + " is corrupt: " + e.getMessage(), e);
            }
            Integer count = batch.countOrNull();
            long delta = batch.lastOffset() - batch.baseOffset();
            if (replicated) {
                if (count == null || count < 0 || delta < count - 1L)
                    throw new InvalidRecordException("Record " + where + " has a last offset delta of " + delta
                            + " but " + count + " records");
            } else {
                if (count == null || count <= 0)
                    throw new InvalidRecordException("Record " + where + " contains no records");
                if (delta != count - 1)
                    throw new InvalidRecordException("Record " + where + " has a last offset delta of " + delta
                            + " but " + count + " records");
                if (config.compact())
                    requireKeys(tp, batch);
            }
            if (!replicated && batch.isControlBatch())
                throw new InvalidRecordException("Record " + where + " is a control batch; clients may not write"
                        + " control records");
            if (!replicated && config.messageTimestampType() == TimestampType.CREATE_TIME && batch.maxTimestamp() < 0
                    && batch.maxTimestamp() != RecordBatch.NO_TIMESTAMP)
                throw new InvalidTimestampException("Record " + where + " has an invalid timestamp "
                        + batch.maxTimestamp());
            recordCount += count;
            position += batchSize;
            batchNumber++;
        }
        if (position != size)
            throw new CorruptRecordException("The append to partition " + tp + " ends with " + (size - position)
                    + " bytes that are not a complete record batch");
        if (recordCount > Integer.MAX_VALUE)
            throw new InvalidRecordException("Append to partition " + tp + " has too many records: " + recordCount);
        return new ValidatedRecords((int) recordCount, size);
    }

    /**
     * Kafka's rule for compacted topics: the cleaner keeps the latest record of each key, so a record without one
     * could never be kept or replaced; it is refused. Decompresses the batch if it is compressed.
     */
    private static void requireKeys(TopicPartition tp, RecordBatch batch) {
        try (CloseableIterator<Record> records = batch.streamingIterator(BufferSupplier.NO_CACHING)) {
            while (records.hasNext()) {
                if (!records.next().hasKey())
                    throw new InvalidRecordException("Compacted topic cannot accept message without key in topic"
                            + " partition " + tp + ".");
            }
        }
    }

    /**
     * Checks that replicated batches continue the log: the first starts at or after {@code logEndOffset} and each
     * after the previous one. A batch may start beyond where the previous one ended: the leader's cleaner removed
     * whole batches there, and the follower's log keeps the same gap. Returns the offsets and largest timestamp they
     * carry; the first offset is the first batch's base offset.
     *
     * @throws UnexpectedAppendOffsetException if a batch starts below where the log or the previous batch ends
     */
    static AssignedOffsets checkReplicatedOffsets(TopicPartition tp, MemoryRecords records, long logEndOffset) {
        long expected = logEndOffset;
        long first = -1;
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        for (MutableRecordBatch batch : records.batches()) {
            if (batch.baseOffset() < expected)
                throw new UnexpectedAppendOffsetException(tp, expected, batch.baseOffset(), batch.lastOffset());
            if (first < 0)
                first = batch.baseOffset();
            maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
            expected = batch.lastOffset() + 1;
        }
        return new AssignedOffsets(first, expected - 1, maxTimestamp);
    }

    /**
     * Gives the batches contiguous offsets from {@code firstOffset} and the leader epoch {@code leaderEpoch} by
     * rewriting their base offset and partition leader epoch (neither is covered by the CRC, which starts at the
     * attributes) and, under {@code LogAppendTime}, stamps them with {@code nowMs} (which recomputes the CRC).
     * Writer only; mutates {@code records}' buffer.
     */
    static AssignedOffsets assignOffsets(MemoryRecords records, long firstOffset, int leaderEpoch,
                                         TimestampType timestampType, long nowMs) {
        long nextOffset = firstOffset;
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        for (MutableRecordBatch batch : records.batches()) {
            batch.setLastOffset(nextOffset + batch.lastOffset() - batch.baseOffset());
            batch.setPartitionLeaderEpoch(leaderEpoch);
            if (timestampType == TimestampType.LOG_APPEND_TIME)
                batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, nowMs);
            maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
            nextOffset = batch.lastOffset() + 1;
        }
        return new AssignedOffsets(firstOffset, nextOffset - 1, maxTimestamp);
    }

    /** The append time the leader stamped on replicated batches under {@code LogAppendTime}, else -1. */
    static long logAppendTimeOf(MemoryRecords records) {
        long appendTime = -1L;
        for (RecordBatch batch : records.batches()) {
            if (batch.timestampType() == TimestampType.LOG_APPEND_TIME)
                appendTime = Math.max(appendTime, batch.maxTimestamp());
        }
        return appendTime;
    }
}
