package dev.tributary.broker.metadata;

import dev.tributary.broker.topic.LeadershipStore;
import dev.tributary.broker.topic.PartitionLeadership;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.util.ArrayList;
import java.util.List;

/** Partition leadership in the metadata database; every call is one committed resource-local transaction. */
public final class JpaLeadershipStore implements LeadershipStore {

    private final ResourceLocalTransactions transactions;

    public JpaLeadershipStore(EntityManagerFactory emf) {
        this.transactions = new ResourceLocalTransactions(emf);
    }

    @Override
    public List<PartitionLeadership> loadAll() {
        return transactions.inTransaction(em -> em.createQuery(
                        "select p from PartitionEntity p order by p.topic, p.partition", PartitionEntity.class)
                .getResultList().stream().map(PartitionEntity::toLeadership).toList());
    }

    @Override
    public List<PartitionLeadership> compareAndSetAll(List<Change> changes) {
        if (changes.isEmpty())
            return List.of();
        return transactions.inTransaction(em -> {
            List<PartitionLeadership> stored = new ArrayList<>();
            for (Change change : changes) {
                PartitionLeadership expected = change.expected();
                PartitionLeadership updated = change.updated();
                int changed = em.createQuery("update PartitionEntity p set p.leader = :leader,"
                                + " p.leaderEpoch = :leaderEpoch, p.isr = :isr, p.partitionEpoch = :partitionEpoch"
                                + " where p.topic = :topic and p.partition = :partition"
                                + " and p.partitionEpoch = :expectedEpoch")
                        .setParameter("leader", updated.leader())
                        .setParameter("leaderEpoch", updated.leaderEpoch())
                        .setParameter("isr", PartitionEntity.join(updated.isr()))
                        .setParameter("partitionEpoch", updated.partitionEpoch())
                        .setParameter("topic", expected.topic())
                        .setParameter("partition", expected.partition())
                        .setParameter("expectedEpoch", expected.partitionEpoch())
                        .executeUpdate();
                if (changed == 1)
                    stored.add(updated);
            }
            if (!stored.isEmpty())
                bumpMetadataVersion(em);
            return stored;
        });
    }

    @Override
    public long metadataVersion() {
        return transactions.inTransaction(em -> em.createQuery("select c.metadataVersion from ClusterEntity c",
                Long.class).getResultStream().findFirst().orElse(0L));
    }

    /** Part of every transaction that changes topics or leadership (see {@link LeadershipStore#metadataVersion}). */
    static void bumpMetadataVersion(EntityManager em) {
        em.createQuery("update ClusterEntity c set c.metadataVersion = c.metadataVersion + 1").executeUpdate();
    }

    /** Inserts the leadership of partitions that have none yet; part of a topic store transaction. */
    static void insert(EntityManager em, List<PartitionLeadership> partitions) {
        for (PartitionLeadership partition : partitions) {
            em.persist(PartitionEntity.from(partition));
        }
    }
}
