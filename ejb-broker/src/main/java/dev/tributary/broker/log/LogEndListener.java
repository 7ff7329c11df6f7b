package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;

/**
 * Told when a {@link PartitionLog}'s log end offset has grown: after every append, of a leader or of a follower.
 * Replica fetches waiting on the leader for records beyond their fetch offset use it; consumers wait for the high
 * watermark instead ({@link AppendListener}).
 *
 * <p>Called by the appending thread after the new log end offset is published and the write lock is released, but
 * before the append waits for its fsync: the data is already readable with {@link FetchIsolation#LOG_END}.
 * Notifications of concurrent appends may arrive out of order, so a listener compares offsets rather than trusting
 * the last call. Implementations must return quickly and must not append to the log; an exception they throw is
 * logged and does not fail the append.
 */
@FunctionalInterface
public interface LogEndListener {

    /**
     * @param topicPartition the partition appended to
     * @param logEndOffset   the log end offset after the append
     */
    void onLogEnd(TopicPartition topicPartition, long logEndOffset);
}
