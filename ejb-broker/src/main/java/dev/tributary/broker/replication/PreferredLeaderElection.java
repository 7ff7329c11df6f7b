package dev.tributary.broker.replication;

/** Moves leadership back to preferred replicas; see {@link Controller#electPreferredLeaders()}. */
@FunctionalInterface
public interface PreferredLeaderElection {

    /** @return how many partitions changed leader */
    int run();
}
