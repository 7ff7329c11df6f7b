package dev.tributary.broker.log;

/**
 * How far a {@link PartitionLog#read} may go (Kafka's {@code FetchIsolation}).
 */
public enum FetchIsolation {
    /**
     * Up to the last stable offset, with the aborted transactions among the records returned: what read_committed
     * consumers see.
     */
    TXN_COMMITTED,
    /** Up to the high watermark: what read_uncommitted consumers see, records every in-sync replica has. */
    HIGH_WATERMARK,
    /** Up to the log end offset: what a follower replicates, including records not yet committed. */
    LOG_END
}
