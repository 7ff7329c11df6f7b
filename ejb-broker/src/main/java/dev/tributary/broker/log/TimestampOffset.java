package dev.tributary.broker.log;

/**
 * A timestamp paired with an offset: the answer of {@link PartitionLog#offsetForTimestamp(long)} (the first
 * offset whose record timestamp is at or after the target, and that record's timestamp) and an entry of the
 * {@link TimeIndex} (the largest timestamp seen so far in a segment and the offset it was seen at).
 *
 * @param timestamp epoch milliseconds, or {@code -1} ({@code RecordBatch.NO_TIMESTAMP}) when unknown
 * @param offset    absolute offset
 */
public record TimestampOffset(long timestamp, long offset) {
}
