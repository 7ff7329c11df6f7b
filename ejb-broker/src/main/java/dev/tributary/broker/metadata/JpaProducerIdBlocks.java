package dev.tributary.broker.metadata;

import dev.tributary.broker.log.ProducerIdBlocks;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceException;
import org.apache.kafka.common.errors.KafkaStorageException;

/**
 * Producer-id blocks reserved in the cluster row of the shared metadata database: the increment takes the row's
 * lock until its transaction commits, so brokers reserving at once get consecutive, disjoint blocks.
 */
public final class JpaProducerIdBlocks implements ProducerIdBlocks {

    private final ResourceLocalTransactions transactions;

    public JpaProducerIdBlocks(EntityManagerFactory emf) {
        this.transactions = new ResourceLocalTransactions(emf);
    }

    @Override
    public long reserve(int size) {
        try {
            return transactions.inTransaction(em -> {
                int rows = em.createQuery("update ClusterEntity c set c.nextProducerId = c.nextProducerId + :size")
                        .setParameter("size", (long) size).executeUpdate();
                if (rows != 1)
                    throw new KafkaStorageException("The metadata database has no cluster row to reserve producer"
                            + " ids in");
                long end = em.createQuery("select c.nextProducerId from ClusterEntity c", Long.class)
                        .getSingleResult();
                return end - size;
            });
        } catch (PersistenceException e) {
            throw new KafkaStorageException("Cannot reserve producer ids in the metadata database: " + e, e);
        }
    }
}
