package dev.tributary.broker.log;

/**
 * What a partition knows of one producer that appended to it (Kafka's DescribeProducers answer).
 *
 * @param producerId            the producer id
 * @param epoch                 its current epoch
 * @param lastSequence          the last sequence it appended in that epoch, -1 if none
 * @param lastTimestamp         broker time of its last append or marker
 * @param coordinatorEpoch      epoch of the transaction coordinator that wrote its last marker, -1 if none
 * @param currentTxnStartOffset first offset of its open transaction, -1 if it has none
 */
public record ActiveProducer(long producerId, short epoch, int lastSequence, long lastTimestamp,
                             int coordinatorEpoch, long currentTxnStartOffset) {
}
