package dev.tributary.broker.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.OptionalLong;

/**
 * A compacted log as the cleaner sees it at one moment (Kafka's {@code LogToClean}): which part is clean, which part
 * is dirty and may be cleaned now, and how urgent that is. Immutable; computed without the log's lock from its
 * weakly consistent segment list, so it may be slightly stale, which only makes the cleaning find less to do (the
 * cleaning rechecks everything it replaces under the lock).
 *
 * <p>The log is divided at segment boundaries:
 * <pre>
 *   logStartOffset ... firstDirtyOffset ... firstUncleanableOffset ... logEndOffset
 *   |-- clean: cleaned before --|-- dirty, cleanable --|-- not cleanable yet --|
 * </pre>
 * Not cleanable yet (Kafka's rules): the active segment and everything after the first segment that is not wholly
 * below the last stable offset (not known to be replicated, or holding records of a transaction not decided yet:
 * an open transaction's records must stay as they are until its marker tells whether they count), or whose newest
 * record is younger than {@code min.compaction.lag.ms}. The last stable offset only grows (a truncation, which
 * may lower it, aborts the cleaning), so a stale one only makes the cleaning do less.
 *
 * @param firstDirtyOffset       where the dirty part begins (the cleaner checkpoint, or the log start offset)
 * @param firstUncleanableOffset the base offset of the first segment that may not be cleaned now
 * @param cleanBytes             bytes of the segments wholly below the first dirty offset
 * @param cleanableBytes         bytes of the dirty segments below the first uncleanable offset
 * @param needCompactionNow      a dirty record is older than {@code max.compaction.lag.ms}: clean it whatever the
 *                               dirty ratio
 * @param sweepTombstones        tombstones in the clean part have outlived {@code delete.retention.ms}: clean the
 *                               log even with no dirty part, to remove them
 * @param resetCheckpoint        the checkpointed offset was outside the log (retention or truncation passed it) and
 *                               {@code firstDirtyOffset} was reset to the log start offset
 */
record LogToClean(PartitionLog log, long firstDirtyOffset, long firstUncleanableOffset, long cleanBytes,
                  long cleanableBytes, boolean needCompactionNow, boolean sweepTombstones, boolean resetCheckpoint) {

    /**
     * The log as it is now.
     *
     * @param checkpoint     the cleaner checkpoint of the log, if any
     * @param sweepTombstones whether tombstones seen by an earlier cleaning are due for removal
     */
    static LogToClean of(PartitionLog log, OptionalLong checkpoint, boolean sweepTombstones, long nowMs) {
        long start = log.logStartOffset();
        long firstDirty = checkpoint.orElse(start);
        boolean reset = firstDirty < start || firstDirty > log.logEndOffset();
        if (reset)
            firstDirty = start;
        LogConfig config = log.config();
        LocalLog local = log.local();
        LogSegment active = local.activeSegment();
        long lastStable = log.lastStableOffset(); // at most the high watermark
        long firstUncleanable = active.baseOffset();
        long clean = 0;
        long cleanable = 0;
        boolean now = false;
        try {
            for (LogSegment segment : local.segments()) {
                if (segment == active || segment.baseOffset() >= active.baseOffset())
                    break;
                long next = local.nextOffsetAfter(segment);
                if (next <= firstDirty) {
                    clean += segment.size();
                    continue;
                }
                if (next > lastStable || (config.minCompactionLagMs() > 0
                        && segment.largestTimestamp() > nowMs - config.minCompactionLagMs())) {
                    firstUncleanable = segment.baseOffset();
                    break;
                }
                cleanable += segment.size();
                if (!now && config.maxCompactionLagMs() < nowMs) {
                    long first = segment.firstBatchTimestamp();
                    now = first > 0 && first < nowMs - config.maxCompactionLagMs();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the segments of partition " + log.topicPartition(), e);
        }
        return new LogToClean(log, firstDirty, Math.max(firstDirty, firstUncleanable), clean, cleanable, now,
                sweepTombstones, reset);
    }

    /** The share of the cleanable log that is dirty: 0 to 1 (Kafka's {@code cleanableRatio}). */
    double dirtyRatio() {
        long total = cleanBytes + cleanableBytes;
        return total == 0 ? 0 : (double) cleanableBytes / total;
    }

    /**
     * Whether the cleaner should clean this log now: its dirty ratio is above {@code min.cleanable.dirty.ratio}
     * (strictly, as in Kafka), or a dirty record waited {@code max.compaction.lag.ms}, or tombstones are due.
     */
    boolean cleanable() {
        if (needCompactionNow && cleanableBytes > 0)
            return true;
        if (sweepTombstones && cleanBytes > 0)
            return true;
        return cleanableBytes > 0 && dirtyRatio() > log.config().minCleanableDirtyRatio();
    }
}
