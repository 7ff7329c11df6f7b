package dev.tributary.rest.dto;

import dev.tributary.broker.topic.PartitionState;
import java.util.List;

/**
 * A partition in {@code GET /topics/{name}}; {@code offlineReason} appears only when it cannot serve, {@code cleaner}
 * only for a compacted topic's partition that this broker holds.
 */
public record PartitionDetails(int partition, int leader, List<Integer> replicas, List<Integer> isr,
                               long logStartOffset, long logEndOffset, long highWatermark, String offlineReason,
                               CleanerDetails cleaner) {

    public static PartitionDetails of(PartitionState state) {
        return new PartitionDetails(state.partition(), state.leader(), state.replicas(), state.isr(),
                state.logStartOffset(), state.logEndOffset(), state.highWatermark(),
                state.offlineReason().orElse(null), state.cleaner().map(CleanerDetails::of).orElse(null));
    }
}
