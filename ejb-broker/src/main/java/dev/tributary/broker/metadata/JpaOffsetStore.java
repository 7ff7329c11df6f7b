package dev.tributary.broker.metadata;

import dev.tributary.broker.group.CommittedOffset;
import dev.tributary.broker.group.CoordinationLostException;
import dev.tributary.broker.group.OffsetStore;
import dev.tributary.broker.group.OffsetStoreException;
import jakarta.persistence.CacheStoreMode;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;

/**
 * Committed offsets in the relational metadata database ({@code TRIB_COMMITTED_OFFSET}); every call is one
 * committed resource-local transaction.
 *
 * <p>Why this store and not, as in Kafka, a compacted internal topic: the metadata database is what the cluster
 * work will share between brokers, so a coordinator moving to another broker finds every group's offsets in the
 * table without replaying a log, and a broker that lost its coordinatorship can be fenced by the database (a
 * coordinator epoch checked in the same transaction; not implemented yet, as long as there is one broker). Commit
 * traffic is one small transaction per OffsetCommit request, which the database absorbs well below the rates of
 * record traffic; auto-commit defaults (every 5 s per consumer) keep it modest.
 */
public final class JpaOffsetStore implements OffsetStore {

    /** The broker whose coordinator writes through this store; {@link #UNFENCED} for tools and tests. */
    static final int UNFENCED = -1;

    private final ResourceLocalTransactions transactions;
    private final int coordinatorId;

    public JpaOffsetStore(EntityManagerFactory emf) {
        this(emf, UNFENCED);
    }

    /**
     * A store whose every write first holds the group's coordinator claim for {@code coordinatorId}
     * ({@link CoordinatorClaims}), in the same transaction: a broker that is no longer a group's coordinator, even
     * one whose view is stale, cannot write for it.
     */
    public JpaOffsetStore(EntityManagerFactory emf, int coordinatorId) {
        this.transactions = new ResourceLocalTransactions(emf);
        this.coordinatorId = coordinatorId;
    }

    @Override
    public Map<String, Map<TopicPartition, CommittedOffset>> loadAll() {
        return inTransaction("load committed offsets", em -> {
            Map<String, Map<TopicPartition, CommittedOffset>> all = new HashMap<>();
            // Refresh, not the shared cache: another broker may have committed since this one last read a row
            // (the group was coordinated there), and a coordinator gaining a group must start from that commit.
            for (CommittedOffsetEntity entity : em.createQuery("select o from CommittedOffsetEntity o",
                            CommittedOffsetEntity.class)
                    .setHint("jakarta.persistence.cache.storeMode", CacheStoreMode.REFRESH).getResultList()) {
                all.computeIfAbsent(entity.groupId(), g -> new HashMap<>())
                        .put(entity.topicPartition(), entity.toCommittedOffset());
            }
            return all;
        });
    }

    @Override
    public void commit(String groupId, Map<TopicPartition, CommittedOffset> offsets) {
        inTransaction("commit offsets of group " + groupId, em -> {
            holdCoordination(em, groupId);
            // merge: update the row if there is one, insert it otherwise
            offsets.forEach((tp, committed) -> em.merge(CommittedOffsetEntity.from(groupId, tp, committed)));
            return null;
        });
    }

    @Override
    public void delete(String groupId, Collection<TopicPartition> partitions) {
        inTransaction("delete offsets of group " + groupId, em -> {
            holdCoordination(em, groupId);
            for (TopicPartition tp : partitions) {
                CommittedOffsetEntity entity = em.find(CommittedOffsetEntity.class,
                        new CommittedOffsetEntity.Key(groupId, tp));
                if (entity != null) {
                    em.remove(entity);
                }
            }
            return null;
        });
    }

    @Override
    public void deleteGroup(String groupId) {
        inTransaction("delete offsets of group " + groupId, em -> {
            holdCoordination(em, groupId);
            return em.createQuery("delete from CommittedOffsetEntity o where o.groupId = :group")
                    .setParameter("group", groupId).executeUpdate();
        });
    }

    @Override
    public void resign(Collection<String> groupIds) {
        if (coordinatorId == UNFENCED || groupIds.isEmpty())
            return;
        inTransaction("hand over the coordination of " + groupIds.size() + " group(s)", em -> {
            CoordinatorClaims.release(em, CoordinatorClaims.GROUPS, groupIds, coordinatorId);
            return null;
        });
    }

    private void holdCoordination(EntityManager em, String groupId) {
        if (coordinatorId != UNFENCED && CoordinatorClaims.hold(em, CoordinatorClaims.GROUPS, groupId,
                coordinatorId).isEmpty())
            throw new CoordinationLostException(groupId, "Broker " + coordinatorId + " no longer coordinates group "
                    + groupId + ": another broker with a live session does");
    }

    private <T> T inTransaction(String what, Function<EntityManager, T> work) {
        try {
            return transactions.inTransaction(work);
        } catch (CoordinationLostException e) {
            throw e;
        } catch (PersistenceException e) {
            throw new OffsetStoreException("Cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
