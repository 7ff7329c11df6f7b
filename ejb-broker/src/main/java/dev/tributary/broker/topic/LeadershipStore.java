package dev.tributary.broker.topic;

import java.util.List;

/**
 * Partition leadership in the shared metadata database. Implementations commit each call before returning and
 * are safe for brokers in different processes that call them concurrently on one database.
 */
public interface LeadershipStore {

    List<PartitionLeadership> loadAll();

    /**
     * Stores {@code updated} if the stored partition is still at {@code expected}'s partition epoch: the fence
     * that keeps two brokers acting on the same old state (a leader shrinking its ISR while the controller elects
     * another leader) from both succeeding.
     *
     * @return whether it was stored; if not, the caller's view is stale and it should reload
     */
    default boolean compareAndSet(PartitionLeadership expected, PartitionLeadership updated) {
        return !compareAndSetAll(List.of(new Change(expected, updated))).isEmpty();
    }

    /**
     * {@link #compareAndSet} of many partitions in one transaction: each change is stored only if its partition is
     * still at the expected partition epoch, and all that are commit together, so a controller moving the
     * leadership of many partitions at once waits for one commit, not one per partition.
     *
     * @return the changes' updated leaderships that were stored
     */
    List<PartitionLeadership> compareAndSetAll(List<Change> changes);

    /** A partition's leadership as the caller read it, and what it should become. */
    record Change(PartitionLeadership expected, PartitionLeadership updated) {
    }

    /**
     * A number that grows with every change of topics or leadership by any broker; a broker that reads the
     * same number twice has nothing new to load.
     */
    long metadataVersion();
}
