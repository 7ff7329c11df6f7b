package dev.tributary.broker.log;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which segments of a log retention deletes (Kafka's rules, applied in Kafka's order, each to the oldest segments
 * the previous ones left):
 * <ol>
 *   <li>segments holding only records below the log start offset (left by
 *       {@link PartitionLog#advanceLogStartOffset});</li>
 *   <li>with {@code retention.ms}, segments whose largest record timestamp is more than that before now;</li>
 *   <li>with {@code retention.bytes}, the oldest segments as long as the log without them is still at least that
 *       large.</li>
 * </ol>
 * The last two apply only when {@code cleanup.policy} includes {@code delete}: a log that is only compacted keeps
 * the latest record of every key for ever, as in Kafka.
 * Only segments wholly below the high watermark go (as in Kafka), so records not yet known to be replicated stay,
 * and never an empty active segment. A non-empty active segment may be due: the log then rolls before deleting it.
 *
 * <p>Decides only; {@link PartitionLog#applyRetention} deletes. Called under the log's write lock, so the segments do
 * not change while it looks.
 */
final class RetentionPolicy {

    /** The oldest segments not yet deleted that {@code rule} deletes, oldest first; never empty. */
    record Expired(List<LogSegment> segments, String rule) {
    }

    private RetentionPolicy() {
    }

    /** The segments of {@code log} that retention deletes now, by rule, in the order to delete them. */
    static List<Expired> expired(LocalLog log, long logStartOffset, long highWatermark, LogConfig config, long nowMs)
            throws IOException {
        List<LogSegment> candidates = new ArrayList<>();
        LogSegment active = log.activeSegment();
        for (LogSegment segment : log.segments()) {
            if ((segment == active && segment.size() == 0) || log.nextOffsetAfter(segment) > highWatermark)
                break;
            candidates.add(segment);
        }
        List<Expired> expired = new ArrayList<>();
        int next = 0;
        while (next < candidates.size() && log.nextOffsetAfter(candidates.get(next)) <= logStartOffset)
            next++;
        next = take(candidates, 0, next, "log start offset " + logStartOffset, expired);
        if (config.delete() && config.retentionMs() >= 0) {
            int end = next;
            while (end < candidates.size() && nowMs - candidates.get(end).largestTimestamp() > config.retentionMs())
                end++;
            next = take(candidates, next, end, "retention.ms=" + config.retentionMs(), expired);
        }
        if (config.delete() && config.retentionBytes() >= 0) {
            long excess = log.sizeInBytes() - config.retentionBytes();
            for (int i = 0; i < next; i++)
                excess -= candidates.get(i).size();
            int end = next;
            while (end < candidates.size() && excess - candidates.get(end).size() >= 0)
                excess -= candidates.get(end++).size();
            take(candidates, next, end, "retention.bytes=" + config.retentionBytes(), expired);
        }
        return expired;
    }

    /** Adds {@code candidates[from, to)} to {@code expired} as deleted by {@code rule}, if not empty; returns to. */
    private static int take(List<LogSegment> candidates, int from, int to, String rule, List<Expired> expired) {
        if (to > from)
            expired.add(new Expired(List.copyOf(candidates.subList(from, to)), rule));
        return to;
    }
}
