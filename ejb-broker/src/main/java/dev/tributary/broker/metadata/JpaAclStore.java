package dev.tributary.broker.metadata;

import dev.tributary.broker.security.AclStore;
import jakarta.persistence.EntityManagerFactory;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.acl.AclBinding;

/** ACL bindings in the metadata database; every call is one committed resource-local transaction. */
public final class JpaAclStore implements AclStore {

    private final ResourceLocalTransactions transactions;

    public JpaAclStore(EntityManagerFactory emf) {
        this.transactions = new ResourceLocalTransactions(emf);
    }

    @Override
    public List<AclBinding> loadAll() {
        return transactions.inTransaction(em -> em.createQuery("select a from AclEntity a", AclEntity.class)
                .getResultList().stream().map(AclEntity::toBinding).toList());
    }

    @Override
    public void add(Collection<AclBinding> bindings) {
        transactions.inTransaction(em -> {
            for (AclBinding binding : bindings) {
                AclEntity entity = AclEntity.from(binding);
                if (em.find(AclEntity.class, entity.key()) == null) {
                    em.persist(entity);
                }
            }
            return null;
        });
    }

    @Override
    public void remove(Collection<AclBinding> bindings) {
        transactions.inTransaction(em -> {
            for (AclBinding binding : bindings) {
                AclEntity stored = em.find(AclEntity.class, AclEntity.from(binding).key());
                if (stored != null) {
                    em.remove(stored);
                }
            }
            return null;
        });
    }
}
