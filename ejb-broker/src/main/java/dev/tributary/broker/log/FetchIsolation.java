package dev.tributary.broker.log;

/**
 * How far a {@link PartitionLog#read} may go (Kafka's {@code FetchIsolation}, without transactions).
 */
public enum FetchIsolation {
    /** Up to the high watermark: what consumers may see, records every in-sync replica has. */
    HIGH_WATERMARK,
    /** Up to the log end offset: what a follower replicates, including records not yet committed. */
    LOG_END
}
