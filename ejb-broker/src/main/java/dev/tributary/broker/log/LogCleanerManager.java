package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cleaner's bookkeeping for every partition of one data directory (Kafka's {@code LogCleanerManager}): the
 * {@link LogCleaningState} of each partition that is being cleaned, paused or failed, the first dirty offset of each
 * ({@link CleanerCheckpoint}), which log to clean next, and what the cleaner's metrics report.
 *
 * <p><b>Concurrency.</b> Thread-safe; every method takes this object's monitor. The cleaner threads, the log
 * manager (deleting a log) and the logs themselves (a truncation, under the log's write lock) call it. It never
 * calls into a log's locked methods while holding the monitor, so a truncation can always report to it, and a
 * cleaning checks for its abort under the log's write lock through {@link #checkNotAborted} (lock order: log, then
 * this). {@link #abortAndPause} waits on the monitor, so the cleaner thread it waits for can report.
 */
final class LogCleanerManager {
    private static final Logger LOG = Logger.getLogger(LogCleanerManager.class.getName());

    private final CleanerCheckpoint checkpointFile;
    private final Clock clock;
    private final Map<TopicPartition, LogCleaningState> states = new HashMap<>();
    /** The first dirty offset of each partition: everything below it was cleaned. */
    private final Map<TopicPartition, Long> firstDirtyOffsets;
    private final Map<TopicPartition, Long> lastCleanedMs = new HashMap<>();
    /** When a tombstone kept by the last cleaning may go: the log is then cleaned even if it is not dirty. */
    private final Map<TopicPartition, Long> tombstoneSweepAtMs = new HashMap<>();
    /** Since when each partition that needs cleaning has waited for it: the cleaner's lag. */
    private final Map<TopicPartition, Long> cleanableSinceMs = new HashMap<>();
    private double maxDirtyRatio;

    /** Reads the checkpoint of {@code dataDir}. */
    LogCleanerManager(Path dataDir, Clock clock) throws IOException {
        this.checkpointFile = new CleanerCheckpoint(dataDir);
        this.clock = clock;
        this.firstDirtyOffsets = checkpointFile.read();
    }

    /**
     * Picks, among the compacted logs that nothing cleans, pauses or gave up on, the one with the highest dirty ratio
     * of those that need cleaning ({@link LogToClean#cleanable}), and marks it in progress. Also refreshes the
     * largest dirty ratio and the waiting times the metrics report. The logs are looked at without this object's
     * monitor, so that truncations reporting meanwhile do not wait for a look at every log.
     */
    Optional<LogToClean> grabFilthiestLog(Collection<PartitionLog> logs) {
        long now = clock.millis();
        Map<PartitionLog, OptionalLong> checkpoints = new HashMap<>();
        Map<PartitionLog, Boolean> sweeps = new HashMap<>();
        synchronized (this) {
            for (PartitionLog log : logs) {
                TopicPartition tp = log.topicPartition();
                if (!log.config().compact() || !log.local().writable())
                    cleanableSinceMs.remove(tp);
                else if (!states.containsKey(tp)) {
                    checkpoints.put(log, offsetOf(tp));
                    Long sweepAt = tombstoneSweepAtMs.get(tp);
                    sweeps.put(log, sweepAt != null && sweepAt <= now);
                }
            }
        }
        List<LogToClean> candidates = new ArrayList<>();
        for (Map.Entry<PartitionLog, OptionalLong> entry : checkpoints.entrySet()) {
            try {
                candidates.add(LogToClean.of(entry.getKey(), entry.getValue(), sweeps.get(entry.getKey()), now));
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Partition " + entry.getKey().topicPartition() + ": cannot look at its log for"
                        + " cleaning now: " + e, e); // closed or being deleted meanwhile
            }
        }
        synchronized (this) {
            LogToClean filthiest = null;
            double maxRatio = 0;
            for (LogToClean candidate : candidates) {
                TopicPartition tp = candidate.log().topicPartition();
                if (states.containsKey(tp))
                    continue; // paused or truncated while we looked
                if (candidate.resetCheckpoint()) {
                    LOG.info(() -> "Partition " + tp + ": its log now starts at " + candidate.firstDirtyOffset()
                            + ", beyond the cleaner checkpoint; cleaning starts there");
                    firstDirtyOffsets.put(tp, candidate.firstDirtyOffset());
                }
                maxRatio = Math.max(maxRatio, candidate.dirtyRatio());
                if (!candidate.cleanable()) {
                    cleanableSinceMs.remove(tp);
                    continue;
                }
                cleanableSinceMs.putIfAbsent(tp, now);
                if (filthiest == null || candidate.dirtyRatio() > filthiest.dirtyRatio())
                    filthiest = candidate;
            }
            maxDirtyRatio = maxRatio;
            if (filthiest == null)
                return Optional.empty();
            states.put(filthiest.log().topicPartition(), new LogCleaningState.InProgress(now));
            return Optional.of(filthiest);
        }
    }

    /**
     * A pass of the cleaning of {@code tp} cleaned everything below {@code offset}: checkpoints it.
     *
     * @throws CleaningAbortedException if the cleaning was asked to stop meanwhile: a truncation may have moved the
     *                                  checkpoint below {@code offset}, which must then stay
     */
    synchronized void checkpoint(TopicPartition tp, long offset) throws IOException {
        checkNotAborted(tp);
        firstDirtyOffsets.put(tp, offset);
        checkpointFile.write(firstDirtyOffsets);
    }

    /** The cleaning of {@code tp} completed. */
    synchronized void doneCleaning(TopicPartition tp, CleanerStats stats) {
        long now = clock.millis();
        lastCleanedMs.put(tp, now);
        cleanableSinceMs.remove(tp);
        OptionalLong sweepAt = stats.earliestTombstoneHorizonMs();
        if (sweepAt.isPresent())
            tombstoneSweepAtMs.put(tp, sweepAt.getAsLong());
        else
            tombstoneSweepAtMs.remove(tp);
        endCleaning(tp);
    }

    /** The cleaning of {@code tp} stopped because it was asked to, or its segments changed: not a failure. */
    synchronized void aborted(TopicPartition tp) {
        endCleaning(tp);
    }

    /**
     * The cleaning of {@code tp} failed: it is not cleaned again (until the broker restarts or the log is deleted);
     * the log itself stays online. Logs why, once.
     */
    synchronized void failed(TopicPartition tp, Exception cause) {
        LogCleaningState state = states.get(tp);
        String reason = String.valueOf(cause.getMessage() != null ? cause.getMessage() : cause);
        cleanableSinceMs.remove(tp);
        if (state instanceof LogCleaningState.Aborting aborting && aborting.pause()) {
            states.put(tp, new LogCleaningState.Paused(1, aborting.reason()));
        } else {
            states.put(tp, new LogCleaningState.Failed(reason, clock.millis()));
            LOG.log(Level.WARNING, "Partition " + tp + ": cleaning failed and is not retried until the broker"
                    + " restarts; the partition stays online and uncompacted: " + reason, cause);
        }
        notifyAll();
    }

    private void endCleaning(TopicPartition tp) {
        LogCleaningState state = states.get(tp);
        if (state instanceof LogCleaningState.Aborting aborting && aborting.pause())
            states.put(tp, new LogCleaningState.Paused(1, aborting.reason()));
        else if (state instanceof LogCleaningState.InProgress || state instanceof LogCleaningState.Aborting)
            states.remove(tp);
        notifyAll();
    }

    /**
     * @throws CleaningAbortedException if the cleaning of {@code tp} was asked to stop
     */
    synchronized void checkNotAborted(TopicPartition tp) {
        if (states.get(tp) instanceof LogCleaningState.Aborting aborting)
            throw new CleaningAbortedException("The cleaning of partition " + tp + " stopped: " + aborting.reason());
    }

    /**
     * The log of {@code tp} is being truncated to {@code offset}: a cleaning under way stops (it may start again at
     * once), and the checkpoint moves down to it, so that what is written there again counts as dirty. Called under
     * the log's write lock; does not wait.
     */
    synchronized void truncated(TopicPartition tp, long offset) {
        if (states.get(tp) instanceof LogCleaningState.InProgress)
            states.put(tp, new LogCleaningState.Aborting(false, "the log was truncated to offset " + offset));
        Long checkpointed = firstDirtyOffsets.get(tp);
        if (checkpointed != null && checkpointed > offset) {
            firstDirtyOffsets.put(tp, offset);
            try {
                checkpointFile.write(firstDirtyOffsets);
            } catch (IOException e) {
                // The in-memory value holds; a checkpoint that stays too high after a crash only leaves records of
                // the truncated range uncleaned until the next cleaning of their keys.
                LOG.log(Level.WARNING, "Cannot write the cleaner checkpoint after truncating " + tp, e);
            }
        }
    }

    /**
     * Stops any cleaning of {@code tp} and keeps the cleaner away from it until {@link #resume}d (as often as it was
     * paused). Waits for a cleaning under way to stop.
     *
     * @throws InterruptedException if interrupted while waiting; the partition is paused anyway
     */
    synchronized void abortAndPause(TopicPartition tp, String reason) throws InterruptedException {
        while (true) {
            LogCleaningState state = states.get(tp);
            if (state == null || state instanceof LogCleaningState.Failed) {
                states.put(tp, new LogCleaningState.Paused(1, reason));
                return;
            }
            if (state instanceof LogCleaningState.Paused paused) {
                states.put(tp, new LogCleaningState.Paused(paused.count() + 1, paused.reason()));
                return;
            }
            if (!(state instanceof LogCleaningState.Aborting aborting && aborting.pause()))
                states.put(tp, new LogCleaningState.Aborting(true, reason));
            wait();
        }
    }

    /** Undoes one {@link #abortAndPause}. */
    synchronized void resume(TopicPartition tp) {
        if (!(states.get(tp) instanceof LogCleaningState.Paused paused))
            throw new IllegalStateException("The cleaning of partition " + tp + " is not paused: " + states.get(tp));
        if (paused.count() > 1)
            states.put(tp, new LogCleaningState.Paused(paused.count() - 1, paused.reason()));
        else
            states.remove(tp);
    }

    /** Asks every cleaning under way to stop (the broker is shutting down); does not wait. */
    synchronized void abortAll(String reason) {
        states.replaceAll((tp, state) -> state instanceof LogCleaningState.InProgress
                ? new LogCleaningState.Aborting(false, reason) : state);
    }

    /** Forgets {@code tp}, whose log was deleted: its state, its checkpoint entry and its statistics. */
    synchronized void forget(TopicPartition tp) throws IOException {
        states.remove(tp);
        lastCleanedMs.remove(tp);
        tombstoneSweepAtMs.remove(tp);
        cleanableSinceMs.remove(tp);
        if (firstDirtyOffsets.remove(tp) != null)
            checkpointFile.write(firstDirtyOffsets);
    }

    /** Writes the checkpoint (on shutdown, so offsets reset since the last cleaning are kept too). */
    synchronized void writeCheckpoint() throws IOException {
        checkpointFile.write(firstDirtyOffsets);
    }

    /** What an operator sees of a compacted log: its state, dirty ratio and last cleaning. */
    CleaningStatus status(PartitionLog log) {
        TopicPartition tp = log.topicPartition();
        LogCleaningState state;
        OptionalLong checkpoint;
        Long cleanedAt;
        synchronized (this) {
            state = states.get(tp);
            checkpoint = offsetOf(tp);
            cleanedAt = lastCleanedMs.get(tp);
        }
        LogToClean view = LogToClean.of(log, checkpoint, false, clock.millis());
        String name = CleaningStatus.IDLE;
        Optional<String> reason = Optional.empty();
        if (state instanceof LogCleaningState.InProgress) {
            name = CleaningStatus.CLEANING;
        } else if (state instanceof LogCleaningState.Aborting aborting) {
            name = CleaningStatus.CLEANING;
            reason = Optional.of("stopping: " + aborting.reason());
        } else if (state instanceof LogCleaningState.Paused paused) {
            name = CleaningStatus.PAUSED;
            reason = Optional.of(paused.reason());
        } else if (state instanceof LogCleaningState.Failed failed) {
            name = CleaningStatus.FAILED;
            reason = Optional.of(failed.reason());
        }
        return new CleaningStatus(name, reason, view.dirtyRatio(), view.firstDirtyOffset(),
                cleanedAt == null ? OptionalLong.empty() : OptionalLong.of(cleanedAt));
    }

    /** The state of {@code tp}, or empty while it is idle. */
    synchronized Optional<LogCleaningState> state(TopicPartition tp) {
        return Optional.ofNullable(states.get(tp));
    }

    /** The largest dirty ratio of a compacted log that the last choice saw, 0 to 1. */
    synchronized double maxDirtyRatio() {
        return maxDirtyRatio;
    }

    /** The longest time a partition that needs cleaning has waited for it so far, in milliseconds. */
    synchronized long maxCleanerLagMs() {
        long now = clock.millis();
        long max = 0;
        for (long since : cleanableSinceMs.values())
            max = Math.max(max, now - since);
        return max;
    }

    /** Partitions whose cleaning failed. */
    synchronized int failedCount() {
        return (int) states.values().stream().filter(s -> s instanceof LogCleaningState.Failed).count();
    }

    private OptionalLong offsetOf(TopicPartition tp) {
        Long offset = firstDirtyOffsets.get(tp);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }
}
