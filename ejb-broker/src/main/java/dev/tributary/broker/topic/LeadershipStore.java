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
    boolean compareAndSet(PartitionLeadership expected, PartitionLeadership updated);

    /**
     * A number that grows with every change of topics or leadership by any broker; a broker that reads the
     * same number twice has nothing new to load.
     */
    long metadataVersion();
}
