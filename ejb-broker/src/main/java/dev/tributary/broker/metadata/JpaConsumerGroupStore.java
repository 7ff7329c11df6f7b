package dev.tributary.broker.metadata;

import dev.tributary.broker.group.ConsumerGroupConflictException;
import dev.tributary.broker.group.ConsumerGroupSnapshot;
import dev.tributary.broker.group.ConsumerGroupStore;
import dev.tributary.broker.group.ConsumerGroupStoreException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Consumer groups of the consumer group protocol in the relational metadata database ({@code TRIB_CONSUMER_GROUP});
 * every call is one committed resource-local transaction.
 *
 * <p>Why one encoded snapshot per group rather than a row per member: a heartbeat that moves a member on also
 * changes the group epoch, the target assignment and the partitions other members may take; writing the group
 * whole keeps those consistent in one statement, and groups are small (a few hundred bytes per member). A write
 * locks the group's row ({@code SELECT ... FOR UPDATE}) and compares the version it expects, so two brokers that
 * both believe they coordinate the group cannot both change it.
 */
public final class JpaConsumerGroupStore implements ConsumerGroupStore {

    private final ResourceLocalTransactions transactions;
    private final Clock clock;

    public JpaConsumerGroupStore(EntityManagerFactory emf, Clock clock) {
        this.transactions = new ResourceLocalTransactions(emf);
        this.clock = clock;
    }

    @Override
    public Map<String, Stored> loadAll() {
        return inTransaction("load consumer groups", em -> {
            Map<String, Stored> all = new HashMap<>();
            for (ConsumerGroupEntity entity : em.createQuery("select g from ConsumerGroupEntity g",
                    ConsumerGroupEntity.class).getResultList()) {
                all.put(entity.groupId(), stored(entity));
            }
            return all;
        });
    }

    @Override
    public Optional<Stored> load(String groupId) {
        return inTransaction("load consumer group " + groupId, em ->
                Optional.ofNullable(em.find(ConsumerGroupEntity.class, groupId)).map(JpaConsumerGroupStore::stored));
    }

    @Override
    public long save(ConsumerGroupSnapshot group, long expectedVersion) {
        byte[] encoded = ConsumerGroupSnapshotCodec.encode(group);
        return inTransaction("store consumer group " + group.groupId(), em -> {
            ConsumerGroupEntity entity = em.find(ConsumerGroupEntity.class, group.groupId(),
                    LockModeType.PESSIMISTIC_WRITE);
            long stored = entity == null ? 0 : entity.version();
            checkVersion(group.groupId(), stored, expectedVersion);
            if (entity == null) {
                entity = new ConsumerGroupEntity(group.groupId());
                entity.write(1, group.groupEpoch(), group.members().size(), encoded, clock.millis());
                em.persist(entity);
            } else {
                entity.write(stored + 1, group.groupEpoch(), group.members().size(), encoded, clock.millis());
            }
            return stored + 1;
        });
    }

    @Override
    public void delete(String groupId, long expectedVersion) {
        inTransaction("delete consumer group " + groupId, em -> {
            ConsumerGroupEntity entity = em.find(ConsumerGroupEntity.class, groupId, LockModeType.PESSIMISTIC_WRITE);
            checkVersion(groupId, entity == null ? 0 : entity.version(), expectedVersion);
            if (entity != null) {
                em.remove(entity);
            }
            return null;
        });
    }

    private static void checkVersion(String groupId, long stored, long expected) {
        if (stored != expected) {
            throw new ConsumerGroupConflictException("Consumer group " + groupId + " is at version " + stored
                    + " in the metadata database, not " + expected + ": another broker changed it");
        }
    }

    private static Stored stored(ConsumerGroupEntity entity) {
        return new Stored(ConsumerGroupSnapshotCodec.decode(entity.groupId(), entity.snapshot()), entity.version());
    }

    private <T> T inTransaction(String what, Function<EntityManager, T> work) {
        try {
            return transactions.inTransaction(work);
        } catch (PersistenceException e) {
            throw new ConsumerGroupStoreException("Cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
