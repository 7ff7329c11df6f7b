package dev.tributary.broker.topic;

import java.util.List;
import java.util.Optional;

/**
 * One partition as a client or operator sees it. The offsets and {@code sizeBytes} are those of this broker's
 * replica, {@code -1} where it holds none. {@code offlineReason} is present when the partition cannot serve;
 * {@code cleaner} when its topic is compacted and this broker holds a replica: what the log cleaner says of it.
 *
 * @param sizeBytes the bytes of this broker's replica's log segments (Kafka's {@code Size} log metric: record
 *                  batches as stored, indexes left out); {@code -1} where this broker holds no open replica
 */
public record PartitionState(int partition, int leader, List<Integer> replicas, List<Integer> isr,
                             long logStartOffset, long logEndOffset, long highWatermark, long sizeBytes,
                             Optional<String> offlineReason, Optional<CompactionState> cleaner) {

    public PartitionState {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }

    /** A partition whose log the cleaner does not compact here. */
    public PartitionState(int partition, int leader, List<Integer> replicas, List<Integer> isr, long logStartOffset,
                          long logEndOffset, long highWatermark, long sizeBytes, Optional<String> offlineReason) {
        this(partition, leader, replicas, isr, logStartOffset, logEndOffset, highWatermark, sizeBytes, offlineReason,
                Optional.empty());
    }
}
