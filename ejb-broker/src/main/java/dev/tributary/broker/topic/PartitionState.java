package dev.tributary.broker.topic;

import java.util.List;
import java.util.Optional;

/** One partition as a client or operator sees it. {@code offlineReason} is present when the partition cannot serve. */
public record PartitionState(int partition, int leader, List<Integer> replicas, List<Integer> isr,
                             long logStartOffset, long logEndOffset, long highWatermark,
                             Optional<String> offlineReason) {

    public PartitionState {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }
}
