package dev.tributary.broker.metadata;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.util.function.Function;

/**
 * Runs work in one resource-local transaction on a fresh entity manager: committed before it returns, rolled
 * back if the work throws. The stores keep no entity manager between calls, so every call sees the database.
 */
final class ResourceLocalTransactions {

    private final EntityManagerFactory emf;

    ResourceLocalTransactions(EntityManagerFactory emf) {
        this.emf = emf;
    }

    <T> T inTransaction(Function<EntityManager, T> work) {
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            T result = work.apply(em);
            em.getTransaction().commit();
            return result;
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }
}
