package dev.tributary.broker.log;

import dev.tributary.broker.metrics.LatencyHistogram;
import org.apache.kafka.common.errors.KafkaStorageException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * The recovery point of a log — every offset below it is on disk — and its checkpoint,
 * {@code recovery-point-offset-checkpoint}, from which the loader validates the log after a crash.
 * {@link GroupCommit} advances it, sharing fsyncs among appenders.
 *
 * <p><b>Invariant.</b> The checkpoint never claims more than is on disk: it is written after the fsync that made
 * the data durable, and lowered before data is removed ({@link #lowerTo}), so that what is written again from there
 * is validated after a crash.
 *
 * <p><b>Concurrency.</b> Thread-safe. The checkpoint is written under a lock of its own, by the log's writer, a
 * thread that flushes, or the periodic checkpoint; see {@link GroupCommit} for the fsyncs. Lock order: this lock,
 * then {@link GroupCommit}'s flush lock, never the other way round (a flush never checkpoints).
 */
final class RecoveryPoint {
    private final Path dir;
    private final GroupCommit groupCommit;
    private final Object checkpointLock = new Object();
    /** Guarded by {@link #checkpointLock}. */
    private long checkpointed;

    /**
     * @param recoveryPoint the checkpointed recovery point the log was loaded with
     * @param logEndOffset  the log's published end offset
     * @param flusher       fsyncs the segments holding a range of offsets
     * @param clock         milliseconds, for {@code flush.ms}
     * @param flushTimes    where the duration of every fsync round is recorded
     */
    RecoveryPoint(Path dir, long recoveryPoint, LongSupplier logEndOffset, GroupCommit.Flusher flusher,
                  LongSupplier clock, FlushListener listener, LatencyHistogram flushTimes) {
        this.dir = dir;
        this.checkpointed = recoveryPoint;
        this.groupCommit = new GroupCommit(recoveryPoint, logEndOffset, flusher, clock, listener, flushTimes);
    }

    long offset() {
        return groupCommit.durableOffset();
    }

    long fsyncCount() {
        return groupCommit.fsyncCount();
    }

    /** When the last fsync round finished (or the log opened). */
    long lastFlushMs() {
        return groupCommit.lastFlushMs();
    }

    /**
     * Returns once every offset below {@code offset} is on disk (see {@link GroupCommit#awaitDurable}).
     *
     * @throws KafkaStorageException if this or an earlier fsync failed
     */
    void awaitDurable(long offset) {
        groupCommit.awaitDurable(offset);
    }

    /** Writes the checkpoint if the recovery point moved since the last one. */
    void checkpoint() throws IOException {
        synchronized (checkpointLock) {
            long durable = groupCommit.durableOffset();
            if (durable == checkpointed)
                return;
            OffsetCheckpointFile.RECOVERY_POINT.write(dir, durable);
            checkpointed = durable;
        }
    }

    /**
     * Lowers the recovery point to {@code offset} if it is above, checkpoint first: data at and above it is about
     * to be removed, and what is written there later must be validated after a crash. Called by the log's writer.
     * The durable offset is lowered under the checkpoint lock too, so that a {@link #checkpoint} meanwhile (the
     * periodic one) cannot write the old, higher offset back.
     */
    void lowerTo(long offset) throws IOException {
        synchronized (checkpointLock) {
            if (checkpointed > offset) {
                OffsetCheckpointFile.RECOVERY_POINT.write(dir, offset);
                checkpointed = offset;
            }
            if (groupCommit.durableOffset() > offset)
                groupCommit.resetDurableOffset(offset);
        }
    }

    /** Sets the recovery point and its checkpoint to {@code offset}: the log was emptied to start there. */
    void resetTo(long offset) throws IOException {
        synchronized (checkpointLock) {
            OffsetCheckpointFile.RECOVERY_POINT.write(dir, offset);
            checkpointed = offset;
            groupCommit.resetDurableOffset(offset);
        }
    }
}
