package dev.tributary.broker.log;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the {@link LogCleaner} says about one compacted partition, for operators (REST topic details).
 *
 * @param state            {@code idle}, {@code cleaning}, {@code paused} or {@code failed}
 * @param reason           why it is paused or failed, or what a cleaning is being stopped for
 * @param dirtyRatio       the share of the cleanable log written since the last cleaning, 0 to 1; it is cleaned
 *                         when this reaches {@code min.cleanable.dirty.ratio}
 * @param firstDirtyOffset where the part not cleaned yet begins
 * @param lastCleanedAtMs  when a cleaning of it last completed on this broker, if one did since it started
 */
public record CleaningStatus(String state, Optional<String> reason, double dirtyRatio, long firstDirtyOffset,
                             OptionalLong lastCleanedAtMs) {

    public static final String IDLE = "idle";
    public static final String CLEANING = "cleaning";
    public static final String PAUSED = "paused";
    public static final String FAILED = "failed";

    public boolean failed() {
        return FAILED.equals(state);
    }
}
