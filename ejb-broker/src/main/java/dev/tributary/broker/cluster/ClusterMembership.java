package dev.tributary.broker.cluster;

import java.util.function.Consumer;

/**
 * Which brokers are alive, and which of them is the controller, as this broker sees it. Thread-safe.
 */
public interface ClusterMembership extends AutoCloseable {

    /** This broker, as it announces itself. */
    BrokerInfo self();

    /** The live brokers now, this one included. */
    ClusterView view();

    /**
     * Calls {@code listener} with the new view whenever a broker joins or leaves or the controller moves. Listeners
     * run on the data grid's event threads: they must return quickly and must not block.
     */
    void addListener(Consumer<ClusterView> listener);

    /**
     * Checks the view against the data grid now, whatever events it sent, and tells the listeners if it changed:
     * called periodically, so that a lost event (a member merging back after a split) never leaves the view stale.
     */
    default void recheck() {
    }

    /** Leaves the cluster: the others stop seeing this broker. */
    @Override
    void close();
}
