package dev.tributary.broker.log;

import dev.tributary.broker.metrics.LatencyHistogram;
import org.apache.kafka.common.errors.KafkaStorageException;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Makes appended data durable with group commit: tracks the durable offset (every offset below it has been
 * fsynced) and lets concurrent appenders share fsyncs.
 *
 * <p>An appender that needs its data durable calls {@link #awaitDurable(long)} after releasing the log's write
 * lock. Only one fsync runs at a time (the flush lock). Whoever gets the flush lock first fsyncs everything
 * appended so far — up to the log end offset at that moment, which includes the data of appenders that wrote
 * while the previous fsync ran — and the appenders queued behind it find their data already covered and return
 * without an fsync of their own. Under load this makes the number of fsyncs independent of the number of
 * appenders.
 *
 * <p>A failed fsync is permanent: on Linux a failed fsync may have dropped the dirty pages, so a retry could
 * report success for data that is gone. Every later call fails with {@link KafkaStorageException}; the log must be
 * reopened (and recovered).
 *
 * <p>Thread-safe. Lock order: the log's write lock may be held when calling {@link #awaitDurable} (on roll), never
 * the other way round.
 */
final class GroupCommit {

    /** Writes the data of offsets {@code [from, to)} to disk. */
    @FunctionalInterface
    interface Flusher {
        void flush(long fromOffset, long toOffset) throws IOException;
    }

    private final ReentrantLock flushLock = new ReentrantLock();
    private final LongSupplier logEndOffset;
    private final Flusher flusher;
    private final LongSupplier clock;
    private final FlushListener listener;
    private final LatencyHistogram flushTimes;
    private final AtomicLong fsyncCount = new AtomicLong();
    private volatile long durableOffset;
    private volatile long lastFlushMs;
    private volatile IOException failure;

    /**
     * @param durableOffset offset below which data is already on disk when the log opens
     * @param logEndOffset  the log's published end offset
     * @param flusher       fsyncs the segments holding a range of offsets
     * @param clock         milliseconds, for {@code flush.ms}
     * @param flushTimes    where the duration of every fsync round is recorded
     */
    GroupCommit(long durableOffset, LongSupplier logEndOffset, Flusher flusher, LongSupplier clock,
                FlushListener listener, LatencyHistogram flushTimes) {
        this.durableOffset = durableOffset;
        this.logEndOffset = logEndOffset;
        this.flusher = flusher;
        this.clock = clock;
        this.listener = listener;
        this.flushTimes = flushTimes;
        this.lastFlushMs = clock.getAsLong();
    }

    /** Every offset below this is on disk. */
    long durableOffset() {
        return durableOffset;
    }

    /** Number of fsync rounds performed (each may cover many appends and several segments). */
    long fsyncCount() {
        return fsyncCount.get();
    }

    long lastFlushMs() {
        return lastFlushMs;
    }

    /**
     * Returns once every offset below {@code offset} is durable, fsyncing if no fsync in progress or already done
     * covers it.
     *
     * @throws KafkaStorageException if this or an earlier fsync failed
     */
    void awaitDurable(long offset) {
        if (durableOffset >= offset)
            return;
        checkNotFailed();
        flushLock.lock();
        try {
            checkNotFailed();
            if (durableOffset >= offset)
                return; // the fsync we queued behind covered us
            long from = durableOffset;
            long upTo = logEndOffset.getAsLong();
            listener.beforeFlush(upTo);
            long started = System.nanoTime();
            try {
                flusher.flush(from, upTo);
            } catch (IOException e) {
                failure = e;
                throw new KafkaStorageException("fsync of offsets " + from + " to " + (upTo - 1) + " failed", e);
            }
            flushTimes.record(System.nanoTime() - started);
            fsyncCount.incrementAndGet();
            lastFlushMs = clock.getAsLong();
            durableOffset = upTo;
        } finally {
            flushLock.unlock();
        }
    }

    /**
     * The log was truncated or emptied: every offset below {@code offset} of what it holds now is on disk. Waits for
     * an fsync in progress, so that it cannot publish a durable offset of the old log afterwards. Called by the
     * log's writer under its write lock.
     */
    void resetDurableOffset(long offset) {
        flushLock.lock();
        try {
            durableOffset = offset;
        } finally {
            flushLock.unlock();
        }
    }

    private void checkNotFailed() {
        IOException e = failure;
        if (e != null)
            throw new KafkaStorageException("An earlier fsync failed; the log must be reopened to recover", e);
    }
}
