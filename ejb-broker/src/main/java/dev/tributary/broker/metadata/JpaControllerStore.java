package dev.tributary.broker.metadata;

import static dev.tributary.broker.metadata.DatabaseClock.NOW_MS;

import dev.tributary.broker.cluster.ControllerFencedException;
import dev.tributary.broker.cluster.ControllerLease;
import dev.tributary.broker.cluster.ControllerStore;
import dev.tributary.broker.topic.LeadershipStore.Change;
import dev.tributary.broker.topic.PartitionLeadership;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The controller lease in {@code TRIB_CONTROLLER}, and the controller's leadership changes fenced by it. Every
 * statement that reads or writes the lease row takes its lock, so a take-over waits for the holder's change in
 * flight to commit, and the holder's next change, seeing the new epoch, stores nothing: the changes of two
 * controllers never interleave, whatever their clocks or views.
 */
public final class JpaControllerStore implements ControllerStore {

    /** No broker: the holder of a released lease. */
    private static final int NOBODY = -1;

    private final ResourceLocalTransactions transactions;

    public JpaControllerStore(EntityManagerFactory emf) {
        this.transactions = new ResourceLocalTransactions(emf);
    }

    @Override
    public Optional<ControllerLease> claim(int brokerId, long leaseMs) {
        return transactions.inTransaction(em -> {
            int claimed = em.createNativeQuery("UPDATE TRIB_CONTROLLER SET"
                            + " EPOCH = CASE WHEN BROKER_ID = ?1 THEN EPOCH ELSE EPOCH + 1 END,"
                            + " BROKER_ID = ?1, LEASE_EXPIRES_MS = " + NOW_MS + " + ?2"
                            + " WHERE SINGLETON = 1 AND (BROKER_ID = ?1 OR LEASE_EXPIRES_MS <= " + NOW_MS + ")")
                    .setParameter(1, brokerId).setParameter(2, leaseMs).executeUpdate();
            if (claimed != 1)
                return Optional.empty();
            Number epoch = (Number) em.createNativeQuery("SELECT EPOCH FROM TRIB_CONTROLLER WHERE SINGLETON = 1")
                    .getSingleResult();
            return Optional.of(new ControllerLease(brokerId, epoch.longValue()));
        });
    }

    @Override
    public void release(ControllerLease lease) {
        transactions.inTransaction(em -> em.createNativeQuery("UPDATE TRIB_CONTROLLER SET BROKER_ID = " + NOBODY
                        + ", LEASE_EXPIRES_MS = 0 WHERE SINGLETON = 1 AND BROKER_ID = ?1 AND EPOCH = ?2")
                .setParameter(1, lease.brokerId()).setParameter(2, lease.epoch()).executeUpdate());
    }

    @Override
    public List<PartitionLeadership> compareAndSetAll(ControllerLease lease, List<Change> changes,
                                                      boolean onlyFromExpiredSessions) {
        return transactions.inTransaction(em -> {
            checkLease(em, lease);
            List<PartitionLeadership> stored = new ArrayList<>();
            for (Change change : changes) {
                PartitionLeadership expected = change.expected();
                PartitionLeadership updated = change.updated();
                Set<Integer> losers = onlyFromExpiredSessions ? losers(change) : Set.of();
                // The brokers' ids are ints, so they go into the statement as they are.
                String noneLive = losers.isEmpty() ? "" : " AND NOT EXISTS (SELECT 1 FROM TRIB_BROKER B WHERE B.ID IN ("
                        + losers.stream().map(String::valueOf).collect(Collectors.joining(","))
                        + ") AND B.SESSION_EXPIRES_MS > " + NOW_MS + ")";
                int changed = em.createNativeQuery("UPDATE TRIB_PARTITION SET LEADER = ?1, LEADER_EPOCH = ?2,"
                                + " ISR = ?3, PARTITION_EPOCH = ?4"
                                + " WHERE TOPIC_NAME = ?5 AND PARTITION_INDEX = ?6 AND PARTITION_EPOCH = ?7"
                                + noneLive)
                        .setParameter(1, updated.leader())
                        .setParameter(2, updated.leaderEpoch())
                        .setParameter(3, PartitionEntity.join(updated.isr()))
                        .setParameter(4, updated.partitionEpoch())
                        .setParameter(5, expected.topic())
                        .setParameter(6, expected.partition())
                        .setParameter(7, expected.partitionEpoch())
                        .executeUpdate();
                if (changed == 1)
                    stored.add(updated);
            }
            if (!stored.isEmpty())
                JpaLeadershipStore.bumpMetadataVersion(em);
            return stored;
        });
    }

    /** The brokers {@code change} takes something from: the old leader if it loses leadership, dropped ISR members. */
    private static Set<Integer> losers(Change change) {
        PartitionLeadership expected = change.expected();
        PartitionLeadership updated = change.updated();
        Set<Integer> losers = new TreeSet<>(expected.isr());
        losers.removeAll(updated.isr());
        if (expected.hasLeader() && updated.leader() != expected.leader())
            losers.add(expected.leader());
        return losers;
    }

    /** Takes the lease row's lock for the rest of the transaction, if the lease is still {@code lease}. */
    private static void checkLease(EntityManager em, ControllerLease lease) {
        int held = em.createNativeQuery("UPDATE TRIB_CONTROLLER SET EPOCH = EPOCH WHERE SINGLETON = 1"
                        + " AND BROKER_ID = ?1 AND EPOCH = ?2 AND LEASE_EXPIRES_MS > " + NOW_MS)
                .setParameter(1, lease.brokerId()).setParameter(2, lease.epoch()).executeUpdate();
        if (held != 1)
            throw new ControllerFencedException("Broker " + lease.brokerId() + " no longer holds the controller"
                    + " lease of epoch " + lease.epoch() + "; nothing was changed");
    }
}
