package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;

/**
 * Told when a {@link PartitionLog} has published new data, so that readers waiting for data (Kafka-protocol fetches
 * long polling on {@code max.wait.ms}) can wake up instead of polling the log.
 *
 * <p>Called by the appending thread after the new log end offset is published and the write lock is released, but
 * before the append waits for its fsync: the data is already readable. Implementations must return quickly and must
 * not append to the log; an exception they throw is logged and does not fail the append.
 */
@FunctionalInterface
public interface AppendListener {

    /**
     * @param topicPartition the partition appended to
     * @param logEndOffset   the log end offset after the append
     */
    void onAppend(TopicPartition topicPartition, long logEndOffset);
}
