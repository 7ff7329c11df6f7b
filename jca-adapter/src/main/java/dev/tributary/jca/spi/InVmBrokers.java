package dev.tributary.jca.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where the broker running in this JVM publishes itself for the resource adapter. The broker registers at start
 * and unregisters at stop; the adapter looks it up for each connection and activation, so a redeployed broker is
 * picked up without redeploying the adapter.
 *
 * <p>This class is loaded once, by the adapter's class loader, which the broker's module shares (standalone RAR on
 * Payara Micro, or RAR module of the same EAR): the broker must not bundle the adapter's classes.
 */
public final class InVmBrokers {

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Condition REGISTERED = LOCK.newCondition();
    private static BrokerGateway current;

    private InVmBrokers() {
    }

    /** @throws IllegalStateException if another broker is registered */
    public static void register(BrokerGateway broker) {
        Objects.requireNonNull(broker, "broker");
        LOCK.lock();
        try {
            if (current != null && current != broker) {
                throw new IllegalStateException("A Tributary broker is already running in this JVM");
            }
            current = broker;
            REGISTERED.signalAll();
        } finally {
            LOCK.unlock();
        }
    }

    /** Unregisters {@code broker} if it is the registered one. */
    public static void unregister(BrokerGateway broker) {
        LOCK.lock();
        try {
            if (current == broker) {
                current = null;
            }
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * The running broker, waiting up to {@code timeout} for one to register (the adapter may start before the
     * broker's application has finished deploying).
     *
     * @throws IllegalStateException if none registers in time
     */
    public static BrokerGateway await(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        LOCK.lock();
        try {
            while (current == null) {
                if (remaining <= 0) {
                    throw new IllegalStateException("No Tributary broker is running in this JVM (waited " + timeout
                            + "): deploy the broker (tributary.ear on Payara Server, tributary.war on Payara Micro) "
                            + "after tributary-jca.rar. If tributary-jca.rar was redeployed, the running broker "
                            + "still uses the old adapter: redeploy the broker, then this application. See "
                            + "docs/jakarta-ee.md, \"Redeploying\"");
                }
                remaining = REGISTERED.awaitNanos(remaining);
            }
            return current;
        } finally {
            LOCK.unlock();
        }
    }

    /** The running broker without waiting. @throws IllegalStateException if there is none */
    public static BrokerGateway current() {
        try {
            return await(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
