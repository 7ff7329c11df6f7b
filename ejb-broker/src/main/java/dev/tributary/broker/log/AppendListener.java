package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;

/**
 * Told when a {@link PartitionLog}'s high watermark has risen, i.e. records became visible to consumers, so that
 * readers waiting for data (Kafka-protocol fetches long polling on {@code max.wait.ms}, in-VM deliveries) can wake
 * up instead of polling the log. (The name is older than replication: while the log's high watermark follows its
 * log end, which is the default, the high watermark rises with every append.)
 *
 * <p>Called after the new high watermark is published, with no lock of the log held: by the appending thread
 * (before the append waits for its fsync) or by the thread that called {@link PartitionLog#updateHighWatermark}.
 * Notifications of concurrent rises may arrive out of order, so a listener re-reads
 * {@link PartitionLog#highWatermark()} rather than trusting the last call. Implementations must return quickly and
 * must not append to the log; an exception they throw is logged and does not fail the caller.
 */
@FunctionalInterface
public interface AppendListener {

    /**
     * @param topicPartition the partition whose high watermark rose
     * @param highWatermark  the high watermark after the rise
     */
    void onAppend(TopicPartition topicPartition, long highWatermark);
}
