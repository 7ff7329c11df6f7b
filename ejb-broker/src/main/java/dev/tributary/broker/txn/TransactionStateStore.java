package dev.tributary.broker.txn;

import java.util.List;
import java.util.Optional;

/**
 * Durable transaction coordinator state, one {@link TransactionMetadata} per transactional id: in a broker, the
 * metadata database ({@code TRIB_TRANSACTION}), which every broker of a cluster shares, so the coordinator an id
 * moves to finds it there. Every method is atomic and durable when it returns.
 *
 * <p>Writes are compare-and-set on the row version: of two coordinators acting on the same old row, only one
 * succeeds, which fences the other.
 *
 * @throws TransactionStoreException from any method when the store cannot be reached; nothing was changed
 */
public interface TransactionStateStore {

    Optional<TransactionMetadata> load(String transactionalId);

    /** Every stored id, for failover, listing and expiry. */
    List<TransactionMetadata> loadAll();

    /** Stores a new id's first row (version 0). @return false if the id has a row already */
    boolean create(TransactionMetadata metadata);

    /**
     * Replaces the row of {@code updated}'s id if its version is still {@code updated.version() - 1}.
     *
     * @return whether it did
     */
    boolean compareAndSet(TransactionMetadata updated);

    /** Deletes the id's row if its version is still {@code version}. @return whether it did */
    boolean delete(String transactionalId, long version);
}
