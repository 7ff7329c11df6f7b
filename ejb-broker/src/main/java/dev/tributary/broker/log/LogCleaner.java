package dev.tributary.broker.log;

import dev.tributary.broker.metrics.CleanerMetrics;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Log compaction for the logs of one data directory (Kafka's {@code LogCleaner}): background threads that, one
 * partition at a time each, pick the compacted log ({@code cleanup.policy} with {@code compact}) that most needs it
 * and clean it with their {@link Cleaner}; a thread that finds nothing to clean sleeps {@code log.cleaner.backoff.ms}.
 * Leaders and followers clean their own replicas alike: compaction never changes offsets, so replicas stay
 * comparable batch for batch.
 *
 * <p>Which log, and its state, checkpoints and metrics, are the {@link LogCleanerManager}'s. A cleaning that fails
 * (a damaged batch, a full disk) marks that partition failed, logs why once and leaves the partition online; the
 * other partitions go on. A cleaning that is asked to stop (truncation, deletion, shutdown) stops between two reads
 * and leaves the log as its last replacement left it.
 *
 * <p><b>Memory.</b> Each thread's {@link OffsetMap} is bounded by its share of
 * {@code log.cleaner.dedupe.buffer.size} and is only allocated, to the size the cleaning needs, while it cleans; its
 * read and write buffers are {@value CleanerConfig#IO_BUFFER_SIZE} bytes each, grown only for a larger batch.
 *
 * <p><b>Concurrency.</b> Thread-safe. {@link #startup} starts the threads, {@link #close} stops them (aborting
 * cleanings under way) and writes the checkpoint. {@link #cleanOnce} runs one round on the caller's thread, for
 * tests and tools.
 */
public final class LogCleaner implements Closeable {
    private static final Logger LOG = Logger.getLogger(LogCleaner.class.getName());

    private final CleanerConfig config;
    private final LogCleanerManager manager;
    private final Supplier<Collection<PartitionLog>> logs;
    private final Throttler throttler;
    private final Clock clock;
    private final CleanerMetrics metrics;
    private final CleaningSteps steps;
    private final long mapMemoryPerThread;
    private final List<Thread> threads = new ArrayList<>();
    /** Cleaner threads sleep on it between rounds; {@link #wakeUp} and {@link #close} notify it. */
    private final Object idle = new Object();
    /** The cleaner of {@link #cleanOnce}; guarded by {@code callerLock}. */
    private final Object callerLock = new Object();
    private Cleaner callerCleaner;
    private volatile boolean shuttingDown;

    /**
     * A cleaner of the logs {@code logs} supplies (the open logs of the data directory {@code dataDir}, whose
     * {@code cleaner-offset-checkpoint} it reads). No thread runs before {@link #startup}.
     *
     * @throws IOException if the checkpoint cannot be read
     */
    public LogCleaner(CleanerConfig config, Path dataDir, Clock clock, CleanerMetrics metrics,
                      Supplier<Collection<PartitionLog>> logs) throws IOException {
        this(config, dataDir, clock, metrics, logs, config.dedupeBufferPerThread(), CleaningSteps.NONE);
    }

    /** For tests: a map of {@code mapMemoryPerThread} bytes, and {@code steps} told of every file change. */
    LogCleaner(CleanerConfig config, Path dataDir, Clock clock, CleanerMetrics metrics,
               Supplier<Collection<PartitionLog>> logs, long mapMemoryPerThread, CleaningSteps steps)
            throws IOException {
        this.config = config;
        this.manager = new LogCleanerManager(dataDir, clock);
        this.logs = logs;
        this.throttler = new Throttler(config.ioMaxBytesPerSecond());
        this.clock = clock;
        this.metrics = metrics;
        this.steps = steps;
        this.mapMemoryPerThread = mapMemoryPerThread;
        metrics.gaugesFrom(manager::maxDirtyRatio, manager::maxCleanerLagMs, manager::failedCount);
    }

    /** Starts the {@code log.cleaner.threads} threads (none if 0). Idempotent. */
    public synchronized void startup() {
        if (!threads.isEmpty() || shuttingDown)
            return;
        for (int i = 0; i < config.threads(); i++) {
            Cleaner cleaner = new Cleaner(mapMemoryPerThread, throttler, clock, steps);
            Thread thread = new Thread(() -> run(cleaner), "tributary-log-cleaner-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        if (config.enabled())
            LOG.info(() -> "Log cleaner started: " + config);
    }

    /**
     * One round on the caller's thread: cleans the compacted log that most needs it, if one does.
     *
     * @return whether it cleaned (or tried to clean) a log
     */
    public boolean cleanOnce() {
        synchronized (callerLock) {
            if (callerCleaner == null)
                callerCleaner = new Cleaner(mapMemoryPerThread, throttler, clock, steps);
            return cleanFilthiestLog(callerCleaner);
        }
    }

    /** Makes sleeping threads look for work now (after a topic became compacted, say) instead of after back-off. */
    public void wakeUp() {
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    /**
     * The cleaner's view of {@code log}: its state, dirty ratio and last cleaning; empty if it is not compacted.
     */
    public Optional<CleaningStatus> status(PartitionLog log) {
        if (!log.config().compact())
            return Optional.empty();
        try {
            return Optional.of(manager.status(log));
        } catch (RuntimeException e) {
            return Optional.empty(); // closed or deleted while we looked
        }
    }

    /**
     * Stops any cleaning of {@code tp} and keeps the cleaner away from it until {@link #resume}; waits for a
     * cleaning under way to stop.
     */
    public void abortAndPause(TopicPartition tp, String reason) {
        try {
            manager.abortAndPause(tp, reason);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Undoes one {@link #abortAndPause}. */
    public void resume(TopicPartition tp) {
        manager.resume(tp);
    }

    /** Forgets {@code tp}, whose log was deleted (after {@link #abortAndPause}). */
    void forget(TopicPartition tp) throws IOException {
        manager.forget(tp);
    }

    /** The {@link TruncationListener} of every log: see {@link LogCleanerManager#truncated}. */
    void truncated(TopicPartition tp, long offset) {
        manager.truncated(tp, offset);
    }

    /** The state of {@code tp}, empty while it is idle. */
    Optional<LogCleaningState> state(TopicPartition tp) {
        return manager.state(tp);
    }

    /** Stops the threads, aborting cleanings under way, and writes the checkpoint. */
    @Override
    public void close() {
        List<Thread> running;
        synchronized (this) {
            shuttingDown = true;
            running = List.copyOf(threads);
        }
        manager.abortAll("the broker is shutting down");
        wakeUp();
        for (Thread thread : running) {
            thread.interrupt();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            manager.writeCheckpoint();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot write the cleaner checkpoint on shutdown; compacted partitions will be"
                    + " cleaned again from an earlier offset", e);
        }
    }

    private void run(Cleaner cleaner) {
        while (!shuttingDown) {
            boolean cleaned;
            try {
                cleaned = cleanFilthiestLog(cleaner);
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "The log cleaner thread hit an unexpected error; it backs off and goes on", e);
                cleaned = false;
            }
            if (!cleaned && !shuttingDown) {
                synchronized (idle) {
                    try {
                        idle.wait(Math.max(1, config.backoffMs()));
                    } catch (InterruptedException e) {
                        if (shuttingDown)
                            return;
                    }
                }
            }
        }
    }

    /** Picks the filthiest log and cleans it; returns whether there was one. */
    private boolean cleanFilthiestLog(Cleaner cleaner) {
        if (shuttingDown)
            return false;
        Optional<LogToClean> chosen = manager.grabFilthiestLog(logs.get());
        if (chosen.isEmpty())
            return false;
        LogToClean cleanable = chosen.get();
        TopicPartition tp = cleanable.log().topicPartition();
        try {
            LOG.fine(() -> "Partition " + tp + ": cleaning offsets " + cleanable.firstDirtyOffset() + " to "
                    + cleanable.firstUncleanableOffset() + ", dirty ratio " + cleanable.dirtyRatio());
            CleanerStats stats = cleaner.clean(cleanable, offset -> checkpoint(tp, offset),
                    () -> manager.checkNotAborted(tp));
            manager.doneCleaning(tp, stats);
            metrics.cleaned(stats.bytesRead(), stats.bytesWritten());
            LOG.info(() -> "Partition " + tp + ": cleaned: " + stats);
        } catch (CleaningAbortedException e) {
            LOG.fine(() -> e.getMessage());
            manager.aborted(tp);
        } catch (InterruptedException e) {
            manager.aborted(tp);
            if (!shuttingDown)
                Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            if (stoppedByChange(tp, e)) {
                LOG.log(Level.FINE, "Partition " + tp + ": cleaning stopped as its log changed: " + e, e);
                manager.aborted(tp);
            } else {
                manager.failed(tp, e);
            }
        }
        return true;
    }

    /** @throws CleaningAbortedException if the cleaning was asked to stop meanwhile */
    private void checkpoint(TopicPartition tp, long offset) {
        try {
            manager.checkpoint(tp, offset);
        } catch (IOException e) {
            // The cleaning itself is done and durable; a lost checkpoint only means cleaning that part again.
            LOG.log(Level.WARNING, "Partition " + tp + ": cannot write the cleaner checkpoint", e);
        }
    }

    /**
     * Whether {@code e} is the log changing under the cleaning rather than a fault of the cleaning: the broker is
     * stopping, the cleaning was asked to stop, the log was closed or went offline (its own error handling reports
     * that), or a segment the cleaning read was deleted by retention meanwhile.
     */
    private boolean stoppedByChange(TopicPartition tp, Exception e) {
        if (shuttingDown || manager.state(tp).orElse(null) instanceof LogCleaningState.Aborting)
            return true;
        if (e instanceof KafkaStorageException)
            return true;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ClosedChannelException || t instanceof NoSuchFileException)
                return true;
        }
        return false;
    }
}
