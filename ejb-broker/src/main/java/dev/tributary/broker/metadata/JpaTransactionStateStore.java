package dev.tributary.broker.metadata;

import dev.tributary.broker.txn.TransactionMetadata;
import dev.tributary.broker.txn.TransactionStateStore;
import dev.tributary.broker.txn.TransactionStoreException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Transaction coordinator state in the metadata database ({@code TRIB_TRANSACTION}); every call is one committed
 * resource-local transaction, and every change a compare-and-set on {@code ROW_VERSION} (one {@code UPDATE ... WHERE
 * ROW_VERSION = ?}), which is what fences two brokers acting for one transactional id.
 *
 * <p>Why the database and not, as in Kafka, a compacted {@code __transaction_state} topic: the cluster already
 * shares this database as its source of truth for partition leadership and committed offsets, so a coordinator that
 * takes an id over reads its row without replaying a log, and the version column gives the fencing that Kafka gets
 * from the leader epoch of the state topic's partition. A transaction costs two or three small row updates
 * (AddPartitionsToTxn, PrepareCommit, CompleteCommit).
 */
public final class JpaTransactionStateStore implements TransactionStateStore {

    private final ResourceLocalTransactions transactions;

    public JpaTransactionStateStore(EntityManagerFactory emf) {
        this.transactions = new ResourceLocalTransactions(emf);
    }

    @Override
    public Optional<TransactionMetadata> load(String transactionalId) {
        return inTransaction("load transactional id " + transactionalId, em ->
                Optional.ofNullable(em.find(TransactionEntity.class, transactionalId))
                        .map(TransactionEntity::toMetadata));
    }

    @Override
    public List<TransactionMetadata> loadAll() {
        return inTransaction("load transactional ids", em -> em.createQuery("select t from TransactionEntity t",
                TransactionEntity.class).getResultList().stream().map(TransactionEntity::toMetadata).toList());
    }

    @Override
    public boolean create(TransactionMetadata metadata) {
        return inTransaction("create transactional id " + metadata.transactionalId(), em -> {
            if (em.find(TransactionEntity.class, metadata.transactionalId()) != null)
                return false;
            em.persist(TransactionEntity.from(metadata));
            em.flush(); // a concurrent insert of the same id fails here, as a duplicate key
            return true;
        });
    }

    @Override
    public boolean compareAndSet(TransactionMetadata updated) {
        return inTransaction("update transactional id " + updated.transactionalId(), em -> {
            TransactionEntity row = em.find(TransactionEntity.class, updated.transactionalId(),
                    LockModeType.PESSIMISTIC_WRITE);
            if (row == null || row.version() != updated.version() - 1)
                return false;
            row.copy(updated);
            return true;
        });
    }

    @Override
    public boolean delete(String transactionalId, long version) {
        return inTransaction("delete transactional id " + transactionalId, em ->
                em.createQuery("delete from TransactionEntity t where t.transactionalId = :id and t.version = :v")
                        .setParameter("id", transactionalId).setParameter("v", version).executeUpdate() == 1);
    }

    private <T> T inTransaction(String what, Function<EntityManager, T> work) {
        try {
            return transactions.inTransaction(work);
        } catch (PersistenceException e) {
            throw new TransactionStoreException("Cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
