package dev.tributary.broker.log;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The segments of one log ordered by base offset (Kafka's {@code LogSegments}).
 *
 * <p>Concurrency: backed by a concurrent skip-list map. Only the log's writer (or the loader) adds and removes
 * segments; readers look segments up at any time and never block. A reader may find a segment that is being
 * removed by retention; its files stay open for {@code file.delete.delay.ms}, so such a read still completes.
 */
final class LogSegments {
    private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();

    void add(LogSegment segment) {
        LogSegment previous = segments.putIfAbsent(segment.baseOffset(), segment);
        if (previous != null && previous != segment)
            throw new IllegalStateException("A segment with base offset " + segment.baseOffset() + " already exists: "
                    + previous);
    }

    /** Puts {@code replacement} in the place of {@code segment}, which must be in the set and start where it does. */
    void replace(LogSegment segment, LogSegment replacement) {
        if (replacement.baseOffset() != segment.baseOffset()
                || !segments.replace(segment.baseOffset(), segment, replacement))
            throw new IllegalStateException("Cannot put " + replacement + " in the place of " + segment);
    }

    void remove(LogSegment segment) {
        segments.remove(segment.baseOffset(), segment);
    }

    boolean isEmpty() {
        return segments.isEmpty();
    }

    int count() {
        return segments.size();
    }

    /** The oldest segment; the log always has at least one. */
    LogSegment first() {
        return segments.firstEntry().getValue();
    }

    /** The active segment, which takes appends. */
    LogSegment last() {
        return segments.lastEntry().getValue();
    }

    /** The segment that would contain {@code offset}: the one with the largest base offset at or below it. */
    LogSegment floor(long offset) {
        Map.Entry<Long, LogSegment> e = segments.floorEntry(offset);
        return e == null ? null : e.getValue();
    }

    /** The segment after the one starting at {@code baseOffset}, or null. */
    LogSegment higher(long baseOffset) {
        Map.Entry<Long, LogSegment> e = segments.higherEntry(baseOffset);
        return e == null ? null : e.getValue();
    }

    /** All segments, oldest first; a weakly consistent live view. */
    Collection<LogSegment> all() {
        return segments.values();
    }

    /** Segments that may hold offsets in {@code [from, to)}, oldest first; a snapshot. */
    List<LogSegment> overlapping(long from, long to) {
        if (to <= from)
            return List.of();
        Long start = segments.floorKey(from);
        ConcurrentNavigableMap<Long, LogSegment> range =
                segments.subMap(start == null ? Long.MIN_VALUE : start, true, to, false);
        return new ArrayList<>(range.values());
    }

    long sizeInBytes() {
        long total = 0;
        for (LogSegment s : segments.values())
            total += s.size();
        return total;
    }
}
