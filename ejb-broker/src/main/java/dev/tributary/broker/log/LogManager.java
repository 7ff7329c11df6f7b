package dev.tributary.broker.log;

import dev.tributary.broker.metrics.BrokerMetrics;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * All partition logs under one data directory (Kafka's {@code LogManager}, for a single log dir).
 *
 * <p>The data directory holds one directory per partition, named {@code <topic>-<partition>}, a
 * {@code .lock} file that this manager holds locked while open, so two brokers (or two deployments in one JVM)
 * cannot use the same directory, and the producer-id reservation of {@link #producerIds()}. Logs are opened on
 * demand by the caller (the topic registry knows which partitions should exist and with which configuration);
 * {@link #partitionsOnDisk()} tells it what is there.
 *
 * <p>A log that cannot be opened because it is corrupt (or unreadable) is recorded in
 * {@link #offlinePartitions()} with the reason; every other partition keeps working. So is an open log found to
 * hold a corrupt batch later ({@link PartitionLog#corruption()}), until the damage is removed; the
 * {@link CorruptionListener} set here hears of each such finding.
 *
 * <p>The manager owns the {@link LogCleaner} that compacts its logs with {@code cleanup.policy=compact}: it is told
 * of every log's truncations, pauses a log's cleaning before deleting the log, and stops before the logs close. Its
 * threads run from {@link #startCleaner()} on.
 *
 * <p>Thread-safe. Creating, opening, deleting and closing logs serialize on this manager; {@link #log} and the
 * logs themselves are used concurrently without it.
 */
public final class LogManager implements Closeable {
    private static final Logger LOG = Logger.getLogger(LogManager.class.getName());
    private static final String LOCK_FILE = ".lock";
    private static final String DELETE_DIR_SUFFIX = "-delete";

    /**
     * One recovery thread per core (Kafka's {@code num.recovery.threads.per.data.dir} defaults to 1): after a crash
     * each partition's recovery validates the batches above its recovery point, CRC work that scales with the
     * cores, and waits on reads and fsyncs that the other partitions' recoveries overlap; a clean start's index
     * checks and producer-state loads run side by side the same way. More threads than cores would only contend
     * for the CPU and the disk.
     */
    public static final int DEFAULT_RECOVERY_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    /** A partition whose existing log {@link #openLogs} opens, and how (see {@link #openLog(TopicPartition, LogConfig, boolean)}). */
    public record LogToOpen(TopicPartition partition, LogConfig config, boolean highWatermarkFollowsLogEnd) {
    }

    private final Path dataDir;
    private final Clock clock;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ConcurrentHashMap<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TopicPartition, String> offline = new ConcurrentHashMap<>();
    /** Partitions whose existing log {@link #openLog} is loading (and, after a crash, recovering) right now. */
    private final Set<TopicPartition> opening = ConcurrentHashMap.newKeySet();
    private final BrokerMetrics metrics;
    private final ProducerIdManager producerIds;
    private final LogCleaner cleaner;
    private final int recoveryThreads;
    /** Told of each existing log about to be loaded, on the thread that loads it; for tests. */
    private volatile Consumer<TopicPartition> openingListener = tp -> { };
    private volatile CorruptionListener corruptionListener = CorruptionListener.NONE;
    /** What every log reports its corruption to: whatever listener is set now. */
    private final CorruptionListener forwardCorruption =
            (partition, damage) -> corruptionListener.corruptionFound(partition, damage);
    private volatile boolean closed;

    /**
     * Takes ownership of {@code dataDir} (created if absent) and removes directories of logs whose deletion was
     * interrupted. Opens no log.
     *
     * @throws KafkaStorageException if the directory cannot be created or is locked by another user
     */
    public LogManager(Path dataDir, Clock clock) {
        this(dataDir, clock, new BrokerMetrics());
    }

    /** As {@link #LogManager(Path, Clock)}, with the logs' appends and fsyncs measured in {@code metrics}. */
    public LogManager(Path dataDir, Clock clock, BrokerMetrics metrics) {
        this(dataDir, clock, metrics, CleanerConfig.defaults());
    }

    /** As {@link #LogManager(Path, Clock, BrokerMetrics)}, with the log cleaner configured by {@code cleanerConfig}. */
    public LogManager(Path dataDir, Clock clock, BrokerMetrics metrics, CleanerConfig cleanerConfig) {
        this(dataDir, clock, metrics, cleanerConfig, DEFAULT_RECOVERY_THREADS);
    }

    /**
     * As {@link #LogManager(Path, Clock, BrokerMetrics, CleanerConfig)}, opening up to {@code recoveryThreads} logs
     * at once in {@link #openLogs}.
     */
    public LogManager(Path dataDir, Clock clock, BrokerMetrics metrics, CleanerConfig cleanerConfig,
                      int recoveryThreads) {
        if (recoveryThreads < 1)
            throw new IllegalArgumentException("The number of recovery threads must be at least 1, not "
                    + recoveryThreads);
        this.recoveryThreads = recoveryThreads;
        this.dataDir = dataDir;
        this.clock = clock;
        this.metrics = metrics;
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock acquired;
            try {
                acquired = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                acquired = null;
            }
            if (acquired == null)
                throw new KafkaStorageException("Data directory " + dataDir + " is in use by another log manager");
            this.lockChannel = channel;
            this.lock = acquired;
            this.producerIds = new ProducerIdManager(dataDir);
            removeInterruptedDeletions();
            this.cleaner = new LogCleaner(cleanerConfig, dataDir, clock, metrics.cleaner(), logs::values);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            if (e instanceof KafkaStorageException kse)
                throw kse;
            throw new KafkaStorageException("Cannot use data directory " + dataDir + ": " + e, e);
        }
    }

    /**
     * Creates a new, empty log.
     *
     * @throws IllegalStateException if a log for {@code tp} is open or exists on disk
     * @throws KafkaStorageException if the files cannot be created
     */
    public synchronized PartitionLog createLog(TopicPartition tp, LogConfig config) {
        ensureOpen();
        Path dir = dirOf(tp);
        if (logs.containsKey(tp) || Files.exists(dir))
            throw new IllegalStateException("A log for partition " + tp + " already exists in " + dir);
        try {
            Files.createDirectory(dir);
            LogFiles.fsyncDirectory(dataDir);
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot create the log directory " + dir + ": " + e, e);
        }
        PartitionLog log = PartitionLog.open(dir, tp, config, clock, metrics);
        log.setTruncationListener(cleaner::truncated);
        log.setCorruptionListener(forwardCorruption);
        logs.put(tp, log);
        offline.remove(tp);
        return log;
    }

    /**
     * Opens (and if needed recovers) the existing log of {@code tp}; returns it unchanged if it is already open
     * ({@code config} is then ignored: use {@link PartitionLog#updateConfig}).
     *
     * @throws IllegalStateException  if there is no log for {@code tp} on disk
     * @throws LogCorruptionException  if the log is corrupt; the partition is then listed as offline
     * @throws KafkaStorageException   if the files cannot be read; the partition is then listed as offline
     */
    public synchronized PartitionLog openLog(TopicPartition tp, LogConfig config) {
        return openLog(tp, config, true);
    }

    /**
     * As {@link #openLog(TopicPartition, LogConfig)}, for a replica whose high watermark the replication layer may
     * own: with {@code highWatermarkFollowsLogEnd} false a log that was not open yet starts at its checkpointed high
     * watermark (see {@link PartitionLog#open(Path, TopicPartition, LogConfig, Clock, BrokerMetrics, boolean)}). A log
     * already open is returned unchanged.
     */
    public synchronized PartitionLog openLog(TopicPartition tp, LogConfig config, boolean highWatermarkFollowsLogEnd) {
        ensureOpen();
        PartitionLog open = logs.get(tp);
        if (open != null)
            return open;
        Path dir = dirOf(tp);
        if (!Files.isDirectory(dir))
            throw new IllegalStateException("There is no log for partition " + tp + " in " + dataDir);
        return load(tp, config, highWatermarkFollowsLogEnd);
    }

    /**
     * Opens (and after a crash recovers) the existing logs of {@code wanted} that are not open yet, up to the
     * manager's recovery threads at a time (Kafka's {@code num.recovery.threads.per.data.dir}), and returns once
     * every one is open or has failed: the start of a broker, where recovering partitions one after the other would
     * add up their times. A log that cannot be opened is listed in {@link #offlinePartitions()} with the reason
     * ({@link #openFailure}), as by {@link #openLog}, and the others open regardless; one without a directory is
     * skipped. Each log is published as soon as it is open ({@link #log}); {@link #partitionsOpening()} lists those
     * still being opened.
     */
    public synchronized void openLogs(Collection<LogToOpen> wanted) {
        ensureOpen();
        List<LogToOpen> toOpen = wanted.stream()
                .filter(w -> !logs.containsKey(w.partition()) && Files.isDirectory(dirOf(w.partition())))
                .toList();
        if (toOpen.isEmpty())
            return;
        long started = System.nanoTime();
        int threads = Math.min(recoveryThreads, toOpen.size());
        RecoveryThreads.runAll(toOpen.stream().<Runnable>map(log -> () -> loadUnlessBroken(log)).toList(), threads);
        logOpened(toOpen, threads, System.nanoTime() - started);
    }

    /** One line for the operator: how long opening the logs took, and how much a crash made recovery validate. */
    private void logOpened(List<LogToOpen> opened, int threads, long nanos) {
        int recovered = 0;
        long bytesValidated = 0;
        int failed = 0;
        for (LogToOpen wanted : opened) {
            PartitionLog log = logs.get(wanted.partition());
            if (log == null) {
                failed++;
            } else if (!log.recoveryInfo().cleanShutdown()) {
                recovered++;
                bytesValidated += log.recoveryInfo().bytesValidated();
            }
        }
        String summary = String.format("Opened %d partition logs in %d ms with %d threads: %d recovered after a crash"
                        + " (%d bytes validated above their recovery points), %d offline", opened.size() - failed,
                nanos / 1_000_000, threads, recovered, bytesValidated, failed);
        LOG.info(summary);
    }

    /** Why the log of {@code tp} could not be opened, if its last open failed (and it is not open now). */
    public Optional<String> openFailure(TopicPartition tp) {
        return Optional.ofNullable(offline.get(tp));
    }

    /** Who is told of each existing log about to be loaded, on the loading thread; for tests. */
    void setOpeningListener(Consumer<TopicPartition> listener) {
        openingListener = Objects.requireNonNull(listener, "listener");
    }

    /** Loads a log; a corrupt or unreadable one is left offline (load logged it), anything else is thrown. */
    private void loadUnlessBroken(LogToOpen log) {
        try {
            load(log.partition(), log.config(), log.highWatermarkFollowsLogEnd());
        } catch (KafkaStorageException e) {
            // listed offline with the reason
        }
    }

    /**
     * Loads the existing log of {@code tp} and publishes it. Called with the manager's lock held by the caller of
     * {@link #openLog}, or by a thread of {@link #openLogs} while its caller holds the lock, so no create, delete or
     * close interleaves; each partition is loaded by one thread.
     */
    private PartitionLog load(TopicPartition tp, LogConfig config, boolean highWatermarkFollowsLogEnd) {
        Path dir = dirOf(tp);
        opening.add(tp);
        try {
            openingListener.accept(tp);
            PartitionLog log = PartitionLog.open(dir, tp, config, clock, metrics, highWatermarkFollowsLogEnd);
            log.setTruncationListener(cleaner::truncated);
            log.setCorruptionListener(forwardCorruption);
            logs.put(tp, log);
            offline.remove(tp);
            return log;
        } catch (KafkaStorageException e) {
            offline.put(tp, e.getMessage());
            LOG.log(Level.SEVERE, "Partition " + tp + " is offline: " + e.getMessage(), e);
            throw e;
        } finally {
            opening.remove(tp);
        }
    }

    /**
     * Partitions whose existing log is being opened right now: loaded, and recovered if it was not closed cleanly.
     * Readers (health checks) call this from any thread while {@link #openLog} runs.
     */
    public Set<TopicPartition> partitionsOpening() {
        return Set.copyOf(opening);
    }

    /** The open log of {@code tp}, if any. */
    public Optional<PartitionLog> log(TopicPartition tp) {
        return Optional.ofNullable(logs.get(tp));
    }

    /**
     * Partitions whose log could not be opened, with the reason (a later successful open removes the entry), and
     * open logs that carry a corrupt batch, with the damage.
     */
    public Map<TopicPartition, String> offlinePartitions() {
        Map<TopicPartition, String> result = new LinkedHashMap<>(offline);
        for (PartitionLog log : logs.values())
            log.corruption().ifPresent(damage -> result.put(log.topicPartition(), damage.describe()));
        return Collections.unmodifiableMap(result);
    }

    /** Every open log, as of this call. */
    public Collection<PartitionLog> openLogs() {
        return List.copyOf(logs.values());
    }

    /** Who hears of every corrupt batch found in an open log from now on; replaces the previous listener. */
    public void setCorruptionListener(CorruptionListener listener) {
        corruptionListener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Partitions that have a log directory, whether open, offline or not yet opened. Directory names are
     * {@code <topic>-<partition>}, split at the last '-' because topic names may contain '-'; other directories
     * (such as logs being deleted) are ignored.
     */
    public Set<TopicPartition> partitionsOnDisk() {
        Set<TopicPartition> result = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDir, Files::isDirectory)) {
            for (Path entry : entries)
                LogFiles.parseDirName(entry.getFileName().toString()).ifPresent(result::add);
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot list data directory " + dataDir + ": " + e, e);
        }
        return result;
    }

    /**
     * Closes the log of {@code tp} (if open) and removes its files. A cleaning of it under way is stopped first. As
     * Kafka does, the directory is first renamed to {@code <topic>-<partition>.<id>-delete}, so a crash half way
     * through never leaves a partial log under the partition's name; such leftovers are removed when a manager
     * starts.
     */
    public synchronized void deleteLog(TopicPartition tp) {
        ensureOpen();
        cleaner.abortAndPause(tp, "the log is being deleted");
        PartitionLog log = logs.remove(tp);
        offline.remove(tp);
        Path dir = dirOf(tp);
        try {
            if (log != null)
                log.closeAndDelete();
            if (Files.exists(dir)) {
                Path doomed = dataDir.resolve(dir.getFileName() + "." + UUID.randomUUID().toString().replace("-", "")
                        + DELETE_DIR_SUFFIX);
                Files.move(dir, doomed);
                LogFiles.fsyncDirectory(dataDir);
                LogFiles.deleteRecursively(doomed);
            }
            cleaner.forget(tp);
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot delete the log of partition " + tp + " in " + dir + ": " + e, e);
        }
    }

    /** Starts the log cleaner's threads (compaction); call once the logs the broker hosts are open. */
    public void startCleaner() {
        ensureOpen();
        cleaner.startup();
    }

    /** The log cleaner of these logs: its state per partition, and one round of cleaning on demand. */
    public LogCleaner cleaner() {
        return cleaner;
    }

    /** The cleaner's view of the log of {@code tp}: empty if it is not open or not compacted. */
    public Optional<CleaningStatus> cleaningStatus(TopicPartition tp) {
        return log(tp).flatMap(cleaner::status);
    }

    /** Where idempotent producers get their ids: unique across restarts of a broker on this data directory. */
    public ProducerIdManager producerIds() {
        return producerIds;
    }

    /**
     * Applies retention, {@code flush.ms} and producer-id expiration (Kafka's default
     * {@code producer.id.expiration.ms} of one day) to every open log, and checkpoints its recovery point, so that
     * recovery after a crash validates at most what was appended since the previous run. The broker boundary calls this periodically.
     * A failure of one log is logged and does not stop the others.
     */
    public void runMaintenance(long nowMs) {
        for (PartitionLog log : logs.values()) {
            try {
                log.applyRetention(nowMs);
                log.flushIfDue(nowMs);
                log.checkpointRecoveryPoint();
                log.removeExpiredProducers(nowMs, ProducerStateManager.DEFAULT_PRODUCER_ID_EXPIRATION_MS);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Maintenance of partition " + log.topicPartition() + " failed: " + e, e);
            }
        }
    }

    /** Closes every log cleanly (flush, checkpoint, clean-shutdown marker) and releases the data directory. */
    @Override
    public synchronized void close() {
        if (closed)
            return;
        closed = true;
        cleaner.close();
        RuntimeException first = null;
        for (PartitionLog log : logs.values()) {
            try {
                log.close();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Closing the log of partition " + log.topicPartition() + " failed: " + e, e);
                if (first == null)
                    first = e;
            }
        }
        logs.clear();
        try {
            lock.release();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Releasing the lock on " + dataDir + " failed", e);
        }
        closeQuietly(lockChannel);
        if (first != null)
            throw first;
    }

    public Path dataDir() {
        return dataDir;
    }

    private Path dirOf(TopicPartition tp) {
        return dataDir.resolve(LogFiles.dirName(tp));
    }

    private void ensureOpen() {
        if (closed)
            throw new IllegalStateException("The log manager of " + dataDir + " is closed");
    }

    private void removeInterruptedDeletions() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDir,
                p -> Files.isDirectory(p) && p.getFileName().toString().endsWith(DELETE_DIR_SUFFIX))) {
            for (Path entry : entries) {
                LOG.info(() -> "Removing " + entry + ", a log whose deletion was interrupted");
                LogFiles.deleteRecursively(entry);
            }
        }
    }

    private static void closeQuietly(Closeable c) {
        if (c == null)
            return;
        try {
            c.close();
        } catch (IOException e) {
            // nothing more to do
        }
    }
}
