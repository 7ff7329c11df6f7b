package dev.tributary.broker.log;

/**
 * A transaction that a marker just ended on a partition (Kafka's {@code CompletedTxn}).
 *
 * @param producerId  its producer
 * @param firstOffset offset of its first record here
 * @param lastOffset  offset of the marker
 * @param aborted     whether the marker aborted it
 */
record CompletedTxn(long producerId, long firstOffset, long lastOffset, boolean aborted) {
}
