package dev.tributary.broker.log;

/**
 * An offset together with where it lives on disk. The log publishes its end offset as one of these so that a
 * reader can bound a file slice to fully appended batches without taking the writer's lock.
 *
 * @param messageOffset     the offset
 * @param segmentBaseOffset base offset of the segment the offset falls in (or will be appended to)
 * @param positionInSegment byte position of the offset's batch in that segment's data file
 */
record LogOffsetMetadata(long messageOffset, long segmentBaseOffset, int positionInSegment) {
    private static final int UNKNOWN = -1;

    /** An offset whose place on disk is not looked up yet (a high watermark set by the replication layer). */
    static LogOffsetMetadata unresolved(long messageOffset) {
        return new LogOffsetMetadata(messageOffset, UNKNOWN, UNKNOWN);
    }

    boolean isResolved() {
        return positionInSegment != UNKNOWN;
    }
}
