package dev.tributary.rest.dto;

import dev.tributary.broker.topic.PartitionState;
import java.util.List;

/**
 * A partition in {@code GET /topics/{name}}; {@code offlineReason} appears only when it cannot serve, {@code cleaner}
 * only for a compacted topic's partition that this broker holds. Offsets and size are those of the answering
 * broker's replica, {@code -1} where it holds none (ask a broker that does).
 *
 * @param sizeBytes bytes of the log segments of this broker's replica: the records as stored, indexes left out
 */
public record PartitionDetails(int partition, int leader, List<Integer> replicas, List<Integer> isr,
                               long logStartOffset, long logEndOffset, long highWatermark, long sizeBytes,
                               String offlineReason, CleanerDetails cleaner) {

    public static PartitionDetails of(PartitionState state) {
        return new PartitionDetails(state.partition(), state.leader(), state.replicas(), state.isr(),
                state.logStartOffset(), state.logEndOffset(), state.highWatermark(), state.sizeBytes(),
                state.offlineReason().orElse(null), state.cleaner().map(CleanerDetails::of).orElse(null));
    }
}
