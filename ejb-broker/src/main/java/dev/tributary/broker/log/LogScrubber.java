package dev.tributary.broker.log;

import dev.tributary.broker.metrics.LogIntegrity;
import java.io.IOException;
import java.time.Clock;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Re-reads the sealed segments of every log in the background, at a bounded rate, so that data that went bad on
 * disk after it was written is found before a reader meets it. Kafka checks nothing once data is written (its
 * consumers find a bad CRC and stop there); this is what storage systems call a scrub.
 *
 * <p>Every batch is checked as recovery checks it ({@link RecordBatchScanner}: framing, magic, CRC, offsets), and
 * every offset- and time-index entry against the batch it names ({@link IndexCheck}). A bad batch takes the log out
 * of service ({@link PartitionLog#corruption()}): it refuses reads and writes, and its {@link CorruptionListener}
 * (the replication layer) repairs it or leaves it to an operator. Indexes that disagree with sound data are
 * rebuilt from it.
 *
 * <p>A pass checks the logs one after another, each from its oldest sealed segment, and skips logs already known to
 * be corrupt. The active segment is left out: it is still being written, and recovery checks it after a crash. The
 * first pass starts with the scrubber, the next {@link ScrubberConfig#intervalMs()} after the previous one started
 * (at once if that one took longer). Reads go through one {@link Throttler} at
 * {@link ScrubberConfig#bytesPerSecond()} for all logs together.
 *
 * <p>Concurrency: one thread of its own. It reads segments without any lock while the logs are appended to,
 * rolled, truncated and cleaned up by retention; what it finds is acted on only if the segment is still the log's
 * and no truncation rewrote bytes meanwhile, which the log checks under its write lock.
 */
public final class LogScrubber implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LogScrubber.class.getName());
    /** Reads are reported to the throttler in steps of about this much, not batch by batch. */
    private static final int THROTTLE_STEP_BYTES = 64 * 1024;
    private static final String FOUND_BY = "the log scrubber";

    private final ScrubberConfig config;
    private final Supplier<? extends Collection<PartitionLog>> logs;
    private final LogIntegrity integrity;
    private final Clock clock;
    private final Throttler throttler;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param logs the logs to check, asked anew for every pass
     */
    public LogScrubber(ScrubberConfig config, Supplier<? extends Collection<PartitionLog>> logs,
                       LogIntegrity integrity, Clock clock) {
        this.config = config;
        this.logs = logs;
        this.integrity = integrity;
        this.clock = clock;
        this.throttler = new Throttler(config.bytesPerSecond());
        this.thread = new Thread(this::run, "tributary-log-scrubber");
        this.thread.setDaemon(true);
    }

    /** Starts the passes on the scrubber's thread, unless it is disabled. */
    public void start() {
        if (config.enabled())
            thread.start();
    }

    /** Whether the background passes run: started, enabled and not closed. */
    public boolean running() {
        return thread.isAlive();
    }

    /**
     * One pass over every sealed segment of every log, on the caller's thread and through the same throttle as the
     * background passes (which may run at the same time).
     *
     * @throws InterruptedException if the caller is interrupted while throttled
     */
    public void scrubAll() throws InterruptedException {
        long started = System.nanoTime();
        long bytesBefore = integrity.scrubbedBytes();
        try {
            for (PartitionLog log : logs.get()) {
                for (LogSegment segment : log.sealedSegments()) {
                    if (closed)
                        throw new InterruptedException("The scrubber is closed");
                    if (log.corruption().isPresent())
                        break;
                    scrub(log, segment);
                }
            }
        } catch (CancellationException e) {
            throw new InterruptedException("Scrubbing interrupted");
        }
        integrity.passCompleted();
        LOG.fine(() -> "Scrub pass done: " + (integrity.scrubbedBytes() - bytesBefore) + " bytes checked in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    private void scrub(PartitionLog log, LogSegment segment) {
        long truncations = log.truncations();
        IndexCheck indexes = new IndexCheck(segment);
        ThrottledReads reads = new ThrottledReads();
        RecordBatchScanner.Result result;
        try {
            result = segment.verify((batch, position) -> {
                indexes.accept(batch, position);
                reads.read(batch.sizeInBytes());
            });
            reads.flush();
        } catch (IOException | RuntimeException e) {
            if (e instanceof CancellationException cancelled)
                throw cancelled;
            if (log.damage().unchangedSince(segment, truncations))
                LOG.log(Level.WARNING, "Could not scrub " + segment + " of partition " + log.topicPartition(), e);
            return; // otherwise closed, deleted or truncated under the scan: nothing to say about it
        }
        integrity.segmentScrubbed(result.validBytes());
        LogDamage damage = log.damage();
        Optional<RecordBatchScanner.Damage> bad = result.damage();
        if (bad.isPresent()) {
            damage.recordIfUnchanged(segment, truncations,
                    damage.found(segment, bad.get(), result.nextOffset(), FOUND_BY));
            return;
        }
        indexes.mismatch().ifPresent(mismatch -> damage.rebuildIndexesIfUnchanged(segment, truncations, mismatch));
    }

    private void run() {
        long nextPassAt = clock.millis();
        while (awaitPass(nextPassAt)) {
            long started = clock.millis();
            try {
                scrubAll();
            } catch (InterruptedException e) {
                return; // closed
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A scrub pass failed; the next starts in " + config.intervalMs() + " ms", e);
            }
            nextPassAt = started + config.intervalMs();
        }
    }

    /** Waits until {@code at}; false if the scrubber closed first. */
    private synchronized boolean awaitPass(long at) {
        long remaining;
        while (!closed && (remaining = at - clock.millis()) > 0) {
            try {
                wait(remaining);
            } catch (InterruptedException e) {
                return false;
            }
        }
        return !closed;
    }

    /** Stops the passes; a segment being read is left at once. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reports the bytes a scan reads to the throttler in steps; an interrupted wait cancels the scan. */
    private final class ThrottledReads {
        private long pending;

        void read(int bytes) {
            pending += bytes;
            if (pending >= THROTTLE_STEP_BYTES)
                flush();
        }

        void flush() {
            long bytes = pending;
            pending = 0;
            try {
                throttler.acquire(bytes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("Scrubbing interrupted");
            }
        }
    }
}
