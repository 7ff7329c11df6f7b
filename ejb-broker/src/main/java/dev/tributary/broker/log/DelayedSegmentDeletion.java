package dev.tributary.broker.log;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Segments already removed from a log whose files are kept for {@code file.delete.delay.ms} (Kafka's
 * asynchronous segment deletion): reads that found the segment just before retention removed it hold slices of
 * its open file and must be able to finish.
 *
 * <p>Not thread-safe: used under the owning log's write lock.
 */
final class DelayedSegmentDeletion {

    private record Pending(LogSegment segment, long deleteAtMs) {
    }

    private final Deque<Pending> pending = new ArrayDeque<>();

    /** Renames the segment's files to {@code .deleted} and schedules their removal at {@code deleteAtMs}. */
    void schedule(LogSegment segment, long deleteAtMs) throws IOException {
        schedule(segment, deleteAtMs, CleaningSteps.NONE);
    }

    /** As {@link #schedule(LogSegment, long)}, telling {@code steps} of each rename. */
    void schedule(LogSegment segment, long deleteAtMs, CleaningSteps steps) throws IOException {
        segment.renameWithSuffix(LogFiles.DELETED_SUFFIX, steps);
        pending.addLast(new Pending(segment, deleteAtMs));
    }

    /** Closes and removes the files of segments whose time has come, in the order they were scheduled. */
    void deleteDue(long nowMs) throws IOException {
        while (!pending.isEmpty() && pending.peekFirst().deleteAtMs() <= nowMs)
            pending.removeFirst().segment().deleteFiles();
    }

    /** Closes and removes every scheduled segment now (the log is closing). */
    void deleteAll() throws IOException {
        while (!pending.isEmpty())
            pending.removeFirst().segment().deleteFiles();
    }

    /** Closes the files without removing them (the log failed or is being deleted as a whole). */
    void closeAll() {
        for (Pending p : pending)
            p.segment().closeHandles();
        pending.clear();
    }
}
