package dev.tributary.broker.log;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The high watermark of a partition log: the offset below which records are visible to consumers, with the
 * {@link AppendListener}s told when it rises and its checkpoint ({@code high-watermark-checkpoint}).
 *
 * <p><b>Invariants.</b> It never passes the log end offset of its {@link LocalLog}: it is raised only up to the log
 * end read under its lock, and a truncation publishes the lower log end and lowers it in one critical section
 * ({@link #lowerWithLogEnd}). It falls only by truncation. While it {@linkplain #followsLogEnd() follows the log end}
 * (a partition with one replica) every append raises it; otherwise the replication layer does
 * ({@link PartitionLog#updateHighWatermark}). The checkpoint never records more than the current value after a
 * truncation: it is lowered with it.
 *
 * <p><b>Concurrency.</b> Changes, and the lowering of the log end, serialize on this object's lock, which is taken
 * after the log's write lock, never before it, so the replication layer raises the high watermark without waiting
 * for an append. Readers read it without locking; its place on disk is looked up by the first reader that needs it
 * and cached with a compare-and-set, so a reader never overwrites a newer value. The checkpoint is written under a
 * lock of its own. Listeners are called with no lock held.
 */
final class HighWatermark {
    /** PartitionLog's: listeners are registered there, and a failing one is reported as a problem of that log. */
    private static final Logger LOG = Logger.getLogger(PartitionLog.class.getName());

    private final LocalLog log;
    private final Object lock = new Object();
    /** Changed under {@link #lock}, except for readers caching the place on disk of the value they read. */
    private final AtomicReference<LogOffsetMetadata> value;
    private final CopyOnWriteArrayList<AppendListener> listeners = new CopyOnWriteArrayList<>();
    private final Object checkpointLock = new Object();
    /** Guarded by {@link #checkpointLock}; -1 if there is no checkpoint. */
    private long checkpointed;
    private volatile boolean followsLogEnd;

    /**
     * @param logStartOffset the log's start offset, the lowest value it can start at
     * @param checkpoint     the checkpointed high watermark, if any; clamped to the log's offsets
     * @param followsLogEnd  if true it starts at the log end offset, otherwise at the checkpoint (the log start
     *                       offset if there is none), so a restarted replica does not show records it did not know
     *                       to be replicated
     */
    HighWatermark(LocalLog log, long logStartOffset, OptionalLong checkpoint, boolean followsLogEnd) {
        this.log = log;
        this.followsLogEnd = followsLogEnd;
        this.checkpointed = checkpoint.orElse(-1);
        LogOffsetMetadata end = log.logEnd();
        long start = followsLogEnd ? end.messageOffset()
                : Math.max(logStartOffset, Math.min(checkpoint.orElse(logStartOffset), end.messageOffset()));
        this.value = new AtomicReference<>(start == end.messageOffset() ? end : LogOffsetMetadata.unresolved(start));
    }

    long offset() {
        return value.get().messageOffset();
    }

    boolean followsLogEnd() {
        return followsLogEnd;
    }

    /**
     * The high watermark with its place on disk, at most {@code end}. A value set by {@link #raise} below the log
     * end is looked up once and cached. If it falls inside a batch, its place is that batch's start, so reads
     * bounded by it leave the batch out.
     */
    LogOffsetMetadata resolved(LogOffsetMetadata end) {
        LogOffsetMetadata hw = value.get();
        if (hw.messageOffset() >= end.messageOffset())
            return end;
        if (hw.isResolved())
            return hw;
        Optional<LogOffsetMetadata> found = log.offsetMetadata(hw.messageOffset());
        if (found.isEmpty()) // below every segment: only while a full truncation replaces them; nothing to read
            return new LogOffsetMetadata(hw.messageOffset(), Long.MIN_VALUE, 0);
        value.compareAndSet(hw, found.get());
        return found.get();
    }

    /**
     * Raises the high watermark to {@code offset}, or to the log end offset if that is lower; never lowers it.
     * Does not tell the listeners: the caller does, with no lock held ({@link #notifyListeners}).
     *
     * @return the new high watermark if it rose, else -1
     */
    long raise(long offset) {
        synchronized (lock) {
            LogOffsetMetadata end = log.logEnd();
            long target = Math.min(offset, end.messageOffset());
            if (target <= value.get().messageOffset())
                return -1;
            value.set(target == end.messageOffset() ? end : LogOffsetMetadata.unresolved(target));
            return target;
        }
    }

    /** {@link #raise}, and tells the listeners if it rose. Returns whether it rose. */
    boolean raiseAndNotify(long offset) {
        long raised = raise(offset);
        if (raised < 0)
            return false;
        notifyListeners(raised);
        return true;
    }

    /**
     * Sets whether every append raises the high watermark to the new log end; turning it on raises it to the log
     * end at once (telling the listeners), turning it off keeps it where it is.
     */
    void setFollowsLogEnd(boolean follows) {
        long raised;
        synchronized (lock) {
            followsLogEnd = follows;
            raised = follows ? raise(Long.MAX_VALUE) : -1;
        }
        if (raised >= 0)
            notifyListeners(raised);
    }

    /**
     * A {@link LocalLog.TruncatedEnd} for a truncation: publishes the lower log end and lowers the high watermark
     * to it if it is above, in one critical section, then lowers the checkpoint likewise.
     */
    void lowerWithLogEnd(LogOffsetMetadata end, Runnable setEnd) throws IOException {
        synchronized (lock) {
            setEnd.run();
            if (value.get().messageOffset() > end.messageOffset())
                value.set(end);
        }
        synchronized (checkpointLock) {
            if (checkpointed > end.messageOffset()) {
                OffsetCheckpointFile.HIGH_WATERMARK.write(log.dir(), end.messageOffset());
                checkpointed = end.messageOffset();
            }
        }
    }

    /**
     * For a log emptied to start at {@code end}: publishes the log end and sets the high watermark to it, up or
     * down, in one critical section.
     */
    void resetWithLogEnd(LogOffsetMetadata end, Runnable setEnd) {
        synchronized (lock) {
            setEnd.run();
            value.set(end);
        }
    }

    /** Writes the checkpoint if the high watermark moved since the last one. */
    void checkpoint() throws IOException {
        synchronized (checkpointLock) {
            long hw = offset();
            if (hw == checkpointed)
                return;
            OffsetCheckpointFile.HIGH_WATERMARK.write(log.dir(), hw);
            checkpointed = hw;
        }
    }

    /** Registering the same listener again has no effect. */
    void addListener(AppendListener listener) {
        listeners.addIfAbsent(Objects.requireNonNull(listener, "listener"));
    }

    void removeListener(AppendListener listener) {
        listeners.remove(listener);
    }

    /** Tells every listener that the high watermark rose to {@code highWatermark}. Call with no lock held. */
    void notifyListeners(long highWatermark) {
        for (AppendListener listener : listeners) {
            try {
                listener.onAppend(log.topicPartition(), highWatermark);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "High watermark listener " + listener + " of partition "
                        + log.topicPartition() + " failed", e);
            }
        }
    }
}
