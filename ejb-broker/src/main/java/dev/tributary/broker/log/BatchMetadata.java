package dev.tributary.broker.log;

import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * What a producer's state retains of one appended batch (Kafka's {@code BatchMetadata}): enough to recognise a
 * retry of it and to answer that retry as the original append was answered.
 *
 * @param firstSeq      base sequence of the batch
 * @param lastSeq       last sequence of the batch
 * @param firstOffset   offset the log gave its first record
 * @param lastOffset    offset the log gave its last record
 * @param maxTimestamp  largest record timestamp of the batch as stored, -1 if none
 * @param logAppendTime the broker time stamped on it under {@code LogAppendTime}, -1 under {@code CreateTime}
 */
record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long maxTimestamp,
                     long logAppendTime) {

    /** The metadata of a batch as the log stores it, i.e. with its offsets (and append time) assigned. */
    static BatchMetadata of(RecordBatch batch) {
        long logAppendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME ? batch.maxTimestamp() : -1L;
        return new BatchMetadata(batch.baseSequence(), batch.lastSequence(), batch.baseOffset(), batch.lastOffset(),
                batch.maxTimestamp(), logAppendTime);
    }
}
