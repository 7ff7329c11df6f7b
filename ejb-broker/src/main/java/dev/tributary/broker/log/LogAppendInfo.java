package dev.tributary.broker.log;

/**
 * What an append wrote, or for the retry of an idempotent producer's earlier append, what that append wrote. It
 * says nothing about durability: {@link PartitionLog#append} and {@link PartitionLog#appendAsFollower} return it
 * once the records are as durable as {@code flush.messages} demands, but {@link PartitionLog#appendUnflushed}
 * returns it as soon as they are written, before the fsync that setting may demand; its caller must pass it to
 * {@link PartitionLog#awaitFlushPolicy} before acknowledging the records.
 *
 * @param firstOffset   offset assigned to the first record of the request
 * @param lastOffset    offset assigned to the last record of the request; offsets in between are contiguous
 * @param maxTimestamp  largest record timestamp of the request (the append time under {@code LogAppendTime}),
 *                      or {@code -1} if no record carried a timestamp
 * @param logAppendTime the broker time stamped on the batches under {@code LogAppendTime}, {@code -1} under
 *                      {@code CreateTime}
 * @param recordCount   number of records appended ({@code lastOffset - firstOffset + 1})
 * @param validBytes    bytes appended to the log (0 for a duplicate)
 * @param duplicate     the records were a retry of an idempotent producer's earlier append and were not written
 *                      again; the offsets and times are those of the earlier append
 */
public record LogAppendInfo(long firstOffset, long lastOffset, long maxTimestamp, long logAppendTime,
                            int recordCount, int validBytes, boolean duplicate) {
}
