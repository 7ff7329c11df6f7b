package dev.tributary.broker.topic;

import dev.tributary.broker.log.CleaningStatus;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the log cleaner says of one partition of a compacted topic that this broker holds, as the topic view hands it
 * to REST (which does not reach into the logs).
 *
 * @param state            {@code idle}, {@code cleaning}, {@code paused} or {@code failed}
 * @param reason           why it is paused or failed, or what a cleaning is being stopped for
 * @param dirtyRatio       the share of its cleanable log written since the last cleaning, 0 to 1
 * @param firstDirtyOffset where the part not cleaned yet begins
 * @param lastCleanedAtMs  when a cleaning of it last completed on this broker, if one did since it started
 */
public record CompactionState(String state, Optional<String> reason, double dirtyRatio, long firstDirtyOffset,
                              OptionalLong lastCleanedAtMs) {

    public static CompactionState of(CleaningStatus status) {
        return new CompactionState(status.state(), status.reason(), status.dirtyRatio(), status.firstDirtyOffset(),
                status.lastCleanedAtMs());
    }

    /** Whether its cleaning failed: it serves, uncompacted, until the broker restarts. */
    public boolean failed() {
        return CleaningStatus.FAILED.equals(state);
    }
}
