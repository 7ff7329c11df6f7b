package dev.tributary.jca.outbound;

import dev.tributary.jca.api.OutgoingRecord;
import dev.tributary.jca.api.RecordMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The records one transaction has sent so far, each with the stage its {@code sendAsync} caller holds. Records have
 * their partition chosen when they are sent, so {@code send} can say where they will go.
 *
 * <p>Thread-safe: a transaction may send through several connection handles and end on another thread.
 */
final class TransactionBuffer {

    private record Pending(OutgoingRecord record, CompletableFuture<RecordMetadata> sent) {
    }

    private final String transactionId;
    private final List<Pending> pending = new ArrayList<>();

    TransactionBuffer(String transactionId) {
        this.transactionId = transactionId;
    }

    String transactionId() {
        return transactionId;
    }

    synchronized CompletableFuture<RecordMetadata> add(OutgoingRecord record) {
        CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
        pending.add(new Pending(record, sent));
        return sent;
    }

    synchronized List<OutgoingRecord> records() {
        return pending.stream().map(Pending::record).toList();
    }

    synchronized boolean isEmpty() {
        return pending.isEmpty();
    }

    /** The transaction committed: {@code landed} holds where each record went, in the order they were sent. */
    synchronized void committed(List<RecordMetadata> landed) {
        for (int i = 0; i < pending.size(); i++) {
            pending.get(i).sent().complete(landed.get(i));
        }
    }

    synchronized void rolledBack(Throwable reason) {
        pending.forEach(p -> p.sent().completeExceptionally(reason));
    }
}
