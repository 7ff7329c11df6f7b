package dev.tributary.broker.cluster;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * How much this broker changes the cluster's leadership, so that an operator sees churn: a controller that keeps
 * changing, or leadership written in a loop. Thread-safe; counters only grow.
 */
public final class ClusterMetrics {

    private final LongAdder controllerActivations = new LongAdder();
    private final LongAdder leadershipWrites = new LongAdder();
    private final AtomicLong controllerEpoch = new AtomicLong(-1);

    /** This broker took the controller lease at {@code epoch} (a take-over, not a renewal). */
    public void becameController(long epoch) {
        controllerActivations.increment();
        controllerEpoch.set(epoch);
    }

    /** This broker stopped being controller. */
    public void resignedController() {
        controllerEpoch.set(-1);
    }

    /** This broker stored {@code partitions} partitions' leadership or ISR changes (as controller or leader). */
    public void leadershipWritten(int partitions) {
        leadershipWrites.add(partitions);
    }

    /** How many times this broker became controller. */
    public long controllerActivations() {
        return controllerActivations.sum();
    }

    /** Partition leadership and ISR changes this broker stored. */
    public long leadershipWrites() {
        return leadershipWrites.sum();
    }

    /** The controller epoch this broker holds the lease at; -1 when it is not controller. */
    public long controllerEpoch() {
        return controllerEpoch.get();
    }
}
