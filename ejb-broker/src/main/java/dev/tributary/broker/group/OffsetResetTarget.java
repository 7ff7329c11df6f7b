package dev.tributary.broker.group;

/** Where an operator moves a group's committed offsets to, per partition. */
public sealed interface OffsetResetTarget {

    /** The log start offset. */
    record Earliest() implements OffsetResetTarget {
    }

    /** The high watermark: the group skips everything written so far. */
    record Latest() implements OffsetResetTarget {
    }

    /** The first offset whose timestamp is at or after {@code timestamp} (the high watermark if none). */
    record AtTimestamp(long timestamp) implements OffsetResetTarget {
    }

    /** One offset for every chosen partition, clamped to what the log holds. */
    record Explicit(long offset) implements OffsetResetTarget {
    }
}
