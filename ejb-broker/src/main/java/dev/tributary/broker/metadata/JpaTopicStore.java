package dev.tributary.broker.metadata;

import dev.tributary.broker.topic.PartitionLeadership;
import dev.tributary.broker.topic.TopicRecord;
import dev.tributary.broker.topic.TopicStore;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Topic metadata in the relational metadata database; every call is one committed resource-local transaction. */
public final class JpaTopicStore implements TopicStore {

    private final ResourceLocalTransactions transactions;

    public JpaTopicStore(EntityManagerFactory emf) {
        this.transactions = new ResourceLocalTransactions(emf);
    }

    @Override
    public List<TopicRecord> loadAll() {
        return inTransaction(em -> em.createQuery("select t from TopicEntity t order by t.name", TopicEntity.class)
                .getResultList().stream().map(TopicEntity::toRecord).toList());
    }

    /**
     * {@inheritDoc}
     *
     * <p>Two brokers may insert the same name at once (a topic created on first use through each): both find no
     * row, and the later insert then breaks the name's primary key. That is the same answer as the row found.
     */
    @Override
    public void insert(TopicRecord topic, List<PartitionLeadership> partitions) {
        try {
            inTransaction(em -> {
                if (em.find(TopicEntity.class, topic.name()) != null) {
                    throw new TopicExistsException("Topic '" + topic.name() + "' already exists");
                }
                em.persist(TopicEntity.from(topic));
                em.flush(); // the partitions' foreign key needs the topic row first
                JpaLeadershipStore.insert(em, partitions);
                JpaLeadershipStore.bumpMetadataVersion(em);
                return null;
            });
        } catch (PersistenceException e) {
            if (inTransaction(em -> em.find(TopicEntity.class, topic.name())) != null)
                throw new TopicExistsException("Topic '" + topic.name() + "' was created by another broker meanwhile");
            throw e;
        }
    }

    @Override
    public void insertMissingLeadership(List<PartitionLeadership> partitions) {
        inTransaction(em -> {
            for (PartitionLeadership partition : partitions) {
                if (em.find(PartitionEntity.class, new PartitionEntity.Key(partition.topic(), partition.partition()))
                        == null) {
                    em.persist(PartitionEntity.from(partition));
                }
            }
            JpaLeadershipStore.bumpMetadataVersion(em);
            return null;
        });
    }

    @Override
    public void replaceConfigOverrides(String topic, Map<String, String> overrides) {
        update(topic, entity -> entity.replaceConfigOverrides(overrides));
    }

    @Override
    public void replacePartitionCount(String topic, int partitions, List<PartitionLeadership> added) {
        inTransaction(em -> {
            change(em, topic, entity -> entity.replacePartitionCount(partitions));
            JpaLeadershipStore.insert(em, added);
            return null;
        });
    }

    private void update(String topic, Consumer<TopicEntity> change) {
        inTransaction(em -> {
            change(em, topic, change);
            return null;
        });
    }

    private static void change(EntityManager em, String topic, Consumer<TopicEntity> change) {
        TopicEntity entity = em.find(TopicEntity.class, topic);
        if (entity == null) {
            throw new UnknownTopicOrPartitionException("Topic '" + topic + "' does not exist");
        }
        change.accept(entity);
        JpaLeadershipStore.bumpMetadataVersion(em);
    }

    @Override
    public boolean delete(String topic) {
        return inTransaction(em -> {
            TopicEntity entity = em.find(TopicEntity.class, topic);
            if (entity != null) {
                em.remove(entity);
                JpaLeadershipStore.bumpMetadataVersion(em);
            }
            return entity != null;
        });
    }

    private <T> T inTransaction(Function<EntityManager, T> work) {
        return transactions.inTransaction(work);
    }
}
