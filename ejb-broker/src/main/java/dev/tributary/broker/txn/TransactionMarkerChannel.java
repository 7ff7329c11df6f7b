package dev.tributary.broker.txn;

import java.util.concurrent.CompletableFuture;

/**
 * Writes the markers that end a transaction (Kafka's {@code TransactionMarkerChannelManager}): each partition's
 * control batch through its leader — this broker's log, or another broker's with WriteTxnMarkers — and each group's
 * transactional offsets through its coordinator.
 */
public interface TransactionMarkerChannel {

    /**
     * Completes once every marker is written (durable and replicated as an {@code acks=all} write) and every group
     * has completed its offsets; retries what fails (a leader moving, a broker down) until then or until
     * {@link #close()}. A partition that no longer exists counts as written.
     */
    CompletableFuture<Void> write(TransactionMarkers markers);
}
