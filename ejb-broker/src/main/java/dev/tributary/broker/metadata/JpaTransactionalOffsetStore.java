package dev.tributary.broker.metadata;

import dev.tributary.broker.group.CommittedOffset;
import dev.tributary.broker.group.OffsetStoreException;
import dev.tributary.broker.group.TransactionalOffsetStore;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;

/**
 * Pending transactional offsets in the metadata database ({@code TRIB_PENDING_TXN_OFFSET}). A commit moves a
 * producer's rows of a group into {@code TRIB_COMMITTED_OFFSET} and deletes them in one database transaction, so a
 * crash leaves them either pending or committed, never both or neither.
 */
public final class JpaTransactionalOffsetStore implements TransactionalOffsetStore {

    private final ResourceLocalTransactions transactions;

    public JpaTransactionalOffsetStore(EntityManagerFactory emf) {
        this.transactions = new ResourceLocalTransactions(emf);
    }

    @Override
    public void stage(String groupId, long producerId, Map<TopicPartition, CommittedOffset> offsets) {
        inTransaction("stage transactional offsets of group " + groupId, em -> {
            offsets.forEach((tp, offset) -> em.merge(PendingTxnOffsetEntity.from(groupId, producerId, tp, offset)));
            return null;
        });
    }

    @Override
    public Map<TopicPartition, CommittedOffset> complete(String groupId, long producerId, boolean commit) {
        return inTransaction("complete transactional offsets of group " + groupId, em -> {
            Map<TopicPartition, CommittedOffset> committed = new LinkedHashMap<>();
            for (PendingTxnOffsetEntity pending : em.createQuery("select p from PendingTxnOffsetEntity p"
                            + " where p.groupId = :group and p.producerId = :producer", PendingTxnOffsetEntity.class)
                    .setParameter("group", groupId).setParameter("producer", producerId).getResultList()) {
                if (commit) {
                    CommittedOffset offset = pending.toCommittedOffset();
                    em.merge(CommittedOffsetEntity.from(groupId, pending.topicPartition(), offset));
                    committed.put(pending.topicPartition(), offset);
                }
                em.remove(pending);
            }
            return committed;
        });
    }

    @Override
    public Set<String> groupsWithPending(long producerId) {
        return inTransaction("read pending transactional offsets", em -> new HashSet<>(em.createQuery(
                        "select distinct p.groupId from PendingTxnOffsetEntity p where p.producerId = :producer",
                        String.class).setParameter("producer", producerId).getResultList()));
    }

    @Override
    public Set<TopicPartition> pendingPartitions(String groupId) {
        return inTransaction("read pending transactional offsets of group " + groupId, em -> {
            Set<TopicPartition> partitions = new HashSet<>();
            for (PendingTxnOffsetEntity pending : em.createQuery("select p from PendingTxnOffsetEntity p"
                    + " where p.groupId = :group", PendingTxnOffsetEntity.class)
                    .setParameter("group", groupId).getResultList())
                partitions.add(pending.topicPartition());
            return partitions;
        });
    }

    private <T> T inTransaction(String what, Function<EntityManager, T> work) {
        try {
            return transactions.inTransaction(work);
        } catch (PersistenceException e) {
            throw new OffsetStoreException("Cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
