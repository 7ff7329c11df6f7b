package dev.tributary.broker.metadata;

import static dev.tributary.broker.metadata.DatabaseClock.NOW_MS;

import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Who coordinates what, in {@code TRIB_COORDINATOR}: the fence for coordinators of every kind (consumer groups now;
 * a transaction coordinator's transactional ids the same way, with a kind of its own). A coordinator's write for a
 * key calls {@link #hold} first, in the write's own transaction: it takes the key if nobody holds it, if this broker
 * does, or if its holder's session has expired (that broker has stopped serving), and otherwise refuses, so two
 * brokers that each believe they coordinate a key can never both write for it. The row stays locked until the
 * transaction ends, so a take-over waits for the holder's write in flight. A coordinator that hands keys over
 * {@link #release}s them, so that the next one takes them at its first write rather than after a session timeout.
 *
 * <p>Static and stateless: stores of this package call it inside their own {@link ResourceLocalTransactions}.
 */
public final class CoordinatorClaims {

    /** The kind of the consumer group coordinator's keys (group ids). */
    public static final String GROUPS = "group";
    private static final int NOBODY = -1;
    private static final int RELEASE_BATCH = 500;

    private CoordinatorClaims() {
    }

    /**
     * Holds {@code key} of {@code kind} for {@code brokerId} for the rest of the transaction, taking it over if
     * need be (which raises its epoch).
     *
     * @return the epoch it is held at; empty if another broker with a live session holds it (the caller must not
     *         write)
     */
    static Optional<Long> hold(EntityManager em, String kind, String key, int brokerId) {
        em.createNativeQuery("UPDATE TRIB_COORDINATOR SET BROKER_ID = ?1, EPOCH = EPOCH + 1"
                        + " WHERE KIND = ?2 AND COORDINATOR_KEY = ?3 AND BROKER_ID <> ?1"
                        + " AND NOT EXISTS (SELECT 1 FROM TRIB_BROKER B WHERE B.ID = TRIB_COORDINATOR.BROKER_ID"
                        + " AND B.SESSION_EXPIRES_MS > " + NOW_MS + ")")
                .setParameter(1, brokerId).setParameter(2, kind).setParameter(3, key).executeUpdate();
        @SuppressWarnings("unchecked")
        List<Object[]> held = em.createNativeQuery("SELECT BROKER_ID, EPOCH FROM TRIB_COORDINATOR"
                        + " WHERE KIND = ?1 AND COORDINATOR_KEY = ?2 FOR UPDATE")
                .setParameter(1, kind).setParameter(2, key).getResultList();
        if (held.isEmpty()) {
            // The first write for this key: a concurrent first write collides on the primary key and fails.
            em.createNativeQuery("INSERT INTO TRIB_COORDINATOR (KIND, COORDINATOR_KEY, BROKER_ID, EPOCH)"
                            + " VALUES (?1, ?2, ?3, 1)")
                    .setParameter(1, kind).setParameter(2, key).setParameter(3, brokerId).executeUpdate();
            return Optional.of(1L);
        }
        Object[] row = held.get(0);
        return ((Number) row[0]).intValue() == brokerId ? Optional.of(((Number) row[1]).longValue())
                : Optional.empty();
    }

    /** Gives up those of {@code keys} that {@code brokerId} holds. */
    static void release(EntityManager em, String kind, Collection<String> keys, int brokerId) {
        List<String> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += RELEASE_BATCH) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + RELEASE_BATCH));
            StringBuilder in = new StringBuilder();
            for (int i = 0; i < batch.size(); i++)
                in.append(i == 0 ? "?" : ", ?").append(i + 3);
            var update = em.createNativeQuery("UPDATE TRIB_COORDINATOR SET BROKER_ID = " + NOBODY
                            + " WHERE BROKER_ID = ?1 AND KIND = ?2 AND COORDINATOR_KEY IN (" + in + ")")
                    .setParameter(1, brokerId).setParameter(2, kind);
            for (int i = 0; i < batch.size(); i++)
                update.setParameter(i + 3, batch.get(i));
            update.executeUpdate();
        }
    }
}
