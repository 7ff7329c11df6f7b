package dev.tributary.rest.dto;

import dev.tributary.broker.topic.CompactionState;
import java.time.Instant;

/**
 * The log cleaner's view of one partition of a compacted topic, in {@code GET /topics/{name}}.
 *
 * @param state            {@code idle}, {@code cleaning}, {@code paused} or {@code failed}
 * @param failed           whether its cleaning failed (the partition still serves, uncompacted)
 * @param reason           why it is paused or failed; absent otherwise
 * @param dirtyRatio       share of the cleanable log written since the last cleaning, 0 to 1; cleaned once it is
 *                         above the topic's {@code min.cleanable.dirty.ratio}
 * @param firstDirtyOffset where the part not cleaned yet begins
 * @param lastCleanedAt    when a cleaning of it last completed, ISO-8601; absent if none did since the broker started
 */
public record CleanerDetails(String state, boolean failed, String reason, double dirtyRatio, long firstDirtyOffset,
                             String lastCleanedAt) {

    public static CleanerDetails of(CompactionState status) {
        return new CleanerDetails(status.state(), status.failed(), status.reason().orElse(null), status.dirtyRatio(),
                status.firstDirtyOffset(), status.lastCleanedAtMs().isPresent()
                        ? Instant.ofEpochMilli(status.lastCleanedAtMs().getAsLong()).toString() : null);
    }
}
