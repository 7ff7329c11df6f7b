package dev.tributary.broker.txn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link TransactionStateStore} in memory with the same compare-and-set rules, shared by several coordinators. */
final class InMemoryTransactionStateStore implements TransactionStateStore {

    private final Map<String, TransactionMetadata> rows = new ConcurrentHashMap<>();

    @Override
    public Optional<TransactionMetadata> load(String transactionalId) {
        return Optional.ofNullable(rows.get(transactionalId));
    }

    @Override
    public List<TransactionMetadata> loadAll() {
        return new ArrayList<>(rows.values());
    }

    @Override
    public boolean create(TransactionMetadata metadata) {
        return rows.putIfAbsent(metadata.transactionalId(), metadata) == null;
    }

    @Override
    public synchronized boolean compareAndSet(TransactionMetadata updated) {
        TransactionMetadata current = rows.get(updated.transactionalId());
        if (current == null || current.version() != updated.version() - 1)
            return false;
        rows.put(updated.transactionalId(), updated);
        return true;
    }

    @Override
    public synchronized boolean delete(String transactionalId, long version) {
        TransactionMetadata current = rows.get(transactionalId);
        return current != null && current.version() == version && rows.remove(transactionalId, current);
    }
}
