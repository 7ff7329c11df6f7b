package dev.tributary.broker.metadata;

import dev.tributary.broker.security.User;
import dev.tributary.broker.security.UserStore;
import jakarta.persistence.EntityManagerFactory;
import java.util.List;
import java.util.Optional;

/** Users in the metadata database; every call is one committed resource-local transaction. */
public final class JpaUserStore implements UserStore {

    private final ResourceLocalTransactions transactions;

    public JpaUserStore(EntityManagerFactory emf) {
        this.transactions = new ResourceLocalTransactions(emf);
    }

    @Override
    public Optional<User> find(String name) {
        return transactions.inTransaction(em -> Optional.ofNullable(em.find(UserEntity.class, name))
                .map(UserEntity::toUser));
    }

    @Override
    public void save(User user) {
        transactions.inTransaction(em -> {
            UserEntity existing = em.find(UserEntity.class, user.name());
            if (existing == null) {
                em.persist(UserEntity.from(user));
            } else {
                existing.update(user);
            }
            return null;
        });
    }

    @Override
    public boolean delete(String name) {
        return transactions.inTransaction(em -> {
            UserEntity existing = em.find(UserEntity.class, name);
            if (existing != null) {
                em.remove(existing);
            }
            return existing != null;
        });
    }

    @Override
    public List<User> list() {
        return transactions.inTransaction(em -> em.createQuery("select u from UserEntity u order by u.name",
                UserEntity.class).getResultList().stream().map(UserEntity::toUser).toList());
    }
}
