package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;

/**
 * Batches replicated from the leader ({@link PartitionLog#appendAsFollower}) do not continue the follower's log:
 * the first starts below its log end offset, or a later one overlaps the one before (a gap is fine: a compacted
 * leader's log has them). Nothing was appended.
 * The replication layer refetches from {@link #expectedOffset()} (or truncates first if it believes the logs
 * diverged). Kafka's {@code UnexpectedAppendOffsetException}.
 */
public class UnexpectedAppendOffsetException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final long expectedOffset;
    private final long batchBaseOffset;

    UnexpectedAppendOffsetException(TopicPartition tp, long expectedOffset, long batchBaseOffset,
                                    long batchLastOffset) {
        super("Replicated batch with offsets " + batchBaseOffset + ".." + batchLastOffset + " does not continue the"
                + " log of partition " + tp + ": the next offset is " + expectedOffset + "; nothing was appended");
        this.expectedOffset = expectedOffset;
        this.batchBaseOffset = batchBaseOffset;
    }

    /** The offset the batch should have started at or after: the log end offset, or the end of the previous batch. */
    public long expectedOffset() {
        return expectedOffset;
    }

    public long batchBaseOffset() {
        return batchBaseOffset;
    }
}
