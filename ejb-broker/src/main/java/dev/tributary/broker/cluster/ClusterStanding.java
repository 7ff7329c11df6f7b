package dev.tributary.broker.cluster;

/**
 * What this broker may do in the cluster at this moment (see docs/cluster.md#fencing). Thread-safe; answers from
 * memory, never blocking on the database.
 */
public interface ClusterStanding {

    /**
     * Whether this broker's session in the metadata database is certainly unexpired: its last successful heartbeat
     * began less than {@code ReplicationConfig#fenceAfterMs} ago. A leader acknowledges {@code acks=all} writes
     * only while this holds.
     */
    boolean sessionActive();

    /**
     * Whether the data grid shows this broker more than half of the registered brokers, this one included, and
     * its session is active. Without it a broker never shrinks an ISR, elects a leader or claims a coordinator.
     */
    boolean seesMajority();

    /**
     * Whether {@code brokerId}'s session was live at this broker's last heartbeat. A leader adds only such a
     * follower to an ISR (as Kafka's leaders add no fenced broker): the controller would remove any other at once,
     * and the two would write the ISR back and forth.
     */
    boolean isLive(int brokerId);

    /** A broker alone, without a shared database: nobody can replace it, so it may always act. */
    ClusterStanding ALONE = new ClusterStanding() {
        @Override
        public boolean sessionActive() {
            return true;
        }

        @Override
        public boolean seesMajority() {
            return true;
        }

        @Override
        public boolean isLive(int brokerId) {
            return true;
        }
    };
}
