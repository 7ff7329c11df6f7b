package dev.tributary.jca.outbound;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The buffers of every transaction in progress, by transaction id. One per resource adapter, shared by all its
 * managed connections: a transaction manager may join a branch from several connections and commit it through any
 * of the adapter's XAResources ({@code isSameRM} is true between them).
 */
public final class TransactionBuffers {

    private final ConcurrentMap<String, TransactionBuffer> buffers = new ConcurrentHashMap<>();

    /** @return the new buffer, or null if the id is in use */
    TransactionBuffer begin(String transactionId) {
        TransactionBuffer buffer = new TransactionBuffer(transactionId);
        return buffers.putIfAbsent(transactionId, buffer) == null ? buffer : null;
    }

    /** @return the buffer, or null if there is no such transaction */
    TransactionBuffer get(String transactionId) {
        return buffers.get(transactionId);
    }

    /** @return the removed buffer, or null (e.g. a transaction prepared before a restart) */
    TransactionBuffer remove(String transactionId) {
        return buffers.remove(transactionId);
    }
}
