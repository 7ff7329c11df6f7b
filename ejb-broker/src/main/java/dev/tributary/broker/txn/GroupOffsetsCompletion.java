package dev.tributary.broker.txn;

/**
 * The group coordinator's part in ending a transaction (Kafka's {@code onTransactionCompleted}): the producer's
 * offsets staged by TxnOffsetCommit become the groups' committed offsets, or are dropped. The broker wires it to
 * its group coordinator, so this package stays below the group package.
 */
@FunctionalInterface
public interface GroupOffsetsCompletion {

    /**
     * Completes the producer's pending transactional offsets of every group this broker coordinates.
     *
     * @throws RuntimeException if they could not be completed; the marker writer retries
     */
    void complete(long producerId, boolean commit);
}
