package dev.tributary.broker.metadata;

import static dev.tributary.broker.metadata.DatabaseClock.NOW_MS;

import dev.tributary.broker.cluster.ClusterSessions;
import dev.tributary.broker.cluster.ControllerLease;
import dev.tributary.broker.cluster.RegisteredBroker;
import dev.tributary.broker.cluster.SessionSnapshot;
import jakarta.persistence.EntityManagerFactory;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Broker sessions in {@code TRIB_BROKER.SESSION_EXPIRES_MS}, on the database's clock; 0 marks a session ended
 * cleanly (or never opened), which takes the broker out of the electorate a majority is counted in.
 */
public final class JpaClusterSessions implements ClusterSessions {

    private final ResourceLocalTransactions transactions;

    public JpaClusterSessions(EntityManagerFactory emf) {
        this.transactions = new ResourceLocalTransactions(emf);
    }

    @Override
    public SessionSnapshot heartbeat(int brokerId, long sessionTimeoutMs) {
        return transactions.inTransaction(em -> {
            int renewed = em.createNativeQuery("UPDATE TRIB_BROKER SET SESSION_EXPIRES_MS = " + NOW_MS + " + ?1"
                    + " WHERE ID = ?2").setParameter(1, sessionTimeoutMs).setParameter(2, brokerId).executeUpdate();
            if (renewed != 1)
                throw new IllegalStateException("Broker " + brokerId + " is not registered in the metadata database");
            Set<Integer> registered = new HashSet<>();
            Set<Integer> live = new HashSet<>();
            Map<Integer, RegisteredBroker> addresses = new HashMap<>();
            // A session ended cleanly is 0: that broker left the electorate (see SessionSnapshot#registered).
            for (Object row : em.createNativeQuery("SELECT ID, CASE WHEN SESSION_EXPIRES_MS > " + NOW_MS
                    + " THEN 1 ELSE 0 END, REGISTERED_AT_MS, KAFKA_ADDRESS, HTTP_URL FROM TRIB_BROKER"
                    + " WHERE SESSION_EXPIRES_MS > 0").getResultList()) {
                Object[] columns = (Object[]) row;
                int id = ((Number) columns[0]).intValue();
                registered.add(id);
                if (((Number) columns[1]).intValue() == 1) {
                    live.add(id);
                    addresses.put(id, new RegisteredBroker(id, Instant.ofEpochMilli(((Number) columns[2]).longValue()),
                            Optional.ofNullable((String) columns[3]), Optional.ofNullable((String) columns[4])));
                }
            }
            @SuppressWarnings("unchecked")
            List<Object[]> lease = em.createNativeQuery("SELECT BROKER_ID, EPOCH FROM TRIB_CONTROLLER"
                    + " WHERE LEASE_EXPIRES_MS > " + NOW_MS + " AND BROKER_ID >= 0").getResultList();
            Optional<ControllerLease> controller = lease.stream().findFirst().map(columns -> new ControllerLease(
                    ((Number) columns[0]).intValue(), ((Number) columns[1]).longValue()));
            return new SessionSnapshot(registered, live, controller, addresses);
        });
    }

    @Override
    public void endSession(int brokerId) {
        transactions.inTransaction(em -> em.createNativeQuery("UPDATE TRIB_BROKER SET SESSION_EXPIRES_MS = 0"
                + " WHERE ID = ?1").setParameter(1, brokerId).executeUpdate());
    }
}
