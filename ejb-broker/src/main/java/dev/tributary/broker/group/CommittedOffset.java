package dev.tributary.broker.group;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One committed position of a group in a partition: the offset of the next record the group will consume, the
 * leader epoch of the record before it (when the client knew it, for log-truncation detection) and the client's
 * free-form metadata.
 */
public record CommittedOffset(long offset, OptionalInt leaderEpoch, String metadata, Instant committedAt) {

    public CommittedOffset {
        Objects.requireNonNull(leaderEpoch, "leaderEpoch");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(committedAt, "committedAt");
    }
}
