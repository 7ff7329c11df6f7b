package dev.tributary.broker.metadata;

import dev.tributary.broker.cluster.BrokerRegistry;
import dev.tributary.broker.cluster.RegisteredBroker;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * The cluster id and broker ids in the metadata database. Brokers of a cluster may call this at the same moment
 * from different processes: both the cluster row and broker ids are claimed by inserting under a primary key, so
 * of two racing brokers one insert wins and the other, refused, reads the winner's row or tries the next id.
 */
public final class JpaBrokerRegistry implements BrokerRegistry {

    /** Racing brokers each lose at most once per other broker starting at that moment; this is plenty. */
    private static final int MAX_ATTEMPTS = 20;

    private final ResourceLocalTransactions transactions;

    public JpaBrokerRegistry(EntityManagerFactory emf) {
        this.transactions = new ResourceLocalTransactions(emf);
    }

    @Override
    public String clusterId(Instant now) {
        Optional<String> existing = storedClusterId();
        if (existing.isPresent()) {
            return existing.get();
        }
        // Kafka's form of a cluster id: a random Uuid in URL-safe base64.
        ClusterEntity created = new ClusterEntity(Uuid.randomUuid().toString(), now.toEpochMilli());
        try {
            transactions.inTransaction(em -> {
                em.persist(created);
                return null;
            });
            return created.clusterId();
        } catch (PersistenceException lostTheRace) {
            return storedClusterId().orElseThrow(() -> lostTheRace);
        }
    }

    private Optional<String> storedClusterId() {
        return transactions.inTransaction(em -> Optional.ofNullable(
                em.find(ClusterEntity.class, ClusterEntity.SINGLETON)).map(ClusterEntity::clusterId));
    }

    @Override
    public int register(Instant now) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.inTransaction(em -> {
                    Integer highest = em.createQuery("select max(b.id) from BrokerEntity b", Integer.class)
                            .getSingleResult();
                    int id = highest == null ? 0 : highest + 1;
                    em.persist(new BrokerEntity(id, now.toEpochMilli()));
                    em.flush();
                    return id;
                });
            } catch (PersistenceException e) {
                // Another broker took the same id between our read and our insert; its row is there now.
                if (attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException("Could not register a broker id after " + attempt
                            + " attempts: " + e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public boolean isRegistered(int brokerId) {
        return transactions.inTransaction(em -> em.find(BrokerEntity.class, brokerId) != null);
    }

    @Override
    public void recordAddresses(int brokerId, String kafkaAddress, String httpUrl, Instant now) {
        transactions.inTransaction(em -> {
            BrokerEntity broker = em.find(BrokerEntity.class, brokerId);
            if (broker == null) {
                throw new IllegalStateException("Broker " + brokerId + " is not registered");
            }
            broker.recordAddresses(kafkaAddress, httpUrl, now.toEpochMilli());
            return null;
        });
    }

    @Override
    public List<RegisteredBroker> list() {
        return transactions.inTransaction(em -> em.createQuery("select b from BrokerEntity b order by b.id",
                BrokerEntity.class).getResultList().stream().map(BrokerEntity::toRegisteredBroker).toList());
    }
}
