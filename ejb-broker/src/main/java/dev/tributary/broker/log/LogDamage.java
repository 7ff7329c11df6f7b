package dev.tributary.broker.log;

import dev.tributary.broker.metrics.LogIntegrity;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.TopicPartition;

/**
 * The damage one partition log is known to hold: the corrupt batch a check found, or none. It is recorded once —
 * one SEVERE line, one count in {@link LogIntegrity}, one call of the {@link CorruptionListener} — and while it is
 * there every read and append of the log refuses ({@link #ensureIntact}). The checks that read segment bytes
 * without the write lock (the {@link LogScrubber}, {@link PartitionLog#readVerified}) report what they found here,
 * and it is taken only if the log is still as they read it ({@link #unchangedSince}); indexes found to disagree with
 * sound data are rebuilt here on the same condition.
 *
 * <p>Concurrency: the damage is a volatile field, read without a lock on every read and append; it is recorded and
 * cleared under the log's write lock, which this class shares with its {@link PartitionLog}. The report runs outside
 * the lock, on the finder's thread.
 */
final class LogDamage {
    private static final Logger LOG = Logger.getLogger(LogDamage.class.getName());

    private final TopicPartition topicPartition;
    private final LocalLog local;
    private final ReentrantLock writeLock;
    private final LogIntegrity integrity;
    private final Clock clock;
    private volatile CorruptBatch known;
    private volatile CorruptionListener listener = CorruptionListener.NONE;

    LogDamage(TopicPartition topicPartition, LocalLog local, ReentrantLock writeLock, LogIntegrity integrity,
              Clock clock) {
        this.topicPartition = topicPartition;
        this.local = local;
        this.writeLock = writeLock;
        this.integrity = integrity;
        this.clock = clock;
    }

    Optional<CorruptBatch> known() {
        return Optional.ofNullable(known);
    }

    void setListener(CorruptionListener newListener) {
        listener = Objects.requireNonNull(newListener, "listener");
    }

    /** @throws LogCorruptionException if the log is known to hold a corrupt batch */
    void ensureIntact() {
        CorruptBatch damage = known;
        if (damage != null)
            throw new LogCorruptionException(damage);
    }

    /** The {@link CorruptBatch} for {@code damage} found in {@code segment}, now. */
    CorruptBatch found(LogSegment segment, RecordBatchScanner.Damage damage, long offset, String foundBy) {
        String claimed = "unknown".equals(damage.claimedOffsetRange()) ? ""
                : "; its header claims offsets " + damage.claimedOffsetRange();
        return new CorruptBatch(topicPartition, segment.logFile(), segment.baseOffset(), damage.position(), offset,
                damage.description() + claimed, foundBy, Instant.ofEpochMilli(clock.millis()));
    }

    /**
     * Whether a read of {@code segment} begun when the log had had {@code truncationsBefore} truncations met the
     * log as it still is: open, holding the segment, not truncated since. If not, what the read found says nothing
     * about the data (a deletion or a truncation pulled the bytes from under the reader).
     */
    boolean unchangedSince(LogSegment segment, long truncationsBefore) {
        return !local.isClosed() && local.truncations() == truncationsBefore && local.holds(segment);
    }

    /**
     * Records {@code found} in {@code segment} as the log's damage if what was read is still what the log holds
     * ({@link #unchangedSince}); a log already known to be damaged keeps its first damage. A new damage is then
     * reported, outside the lock.
     *
     * @return whether the log is known to be damaged now; false if the finding was made on bytes that changed since
     */
    boolean recordIfUnchanged(LogSegment segment, long truncationsBefore, CorruptBatch found) {
        writeLock.lock();
        try {
            if (known != null)
                return true;
            if (!unchangedSince(segment, truncationsBefore))
                return false;
            known = found;
        } finally {
            writeLock.unlock();
        }
        report(found);
        return true;
    }

    private void report(CorruptBatch found) {
        integrity.corruptBatchFound();
        LOG.severe(() -> "Partition " + topicPartition + " holds " + found.describe() + ". This replica now refuses"
                + " every read and write of the partition: in a cluster it leaves the in-sync replicas and fetches"
                + " the damaged range again from the leader; alone, the partition stays offline until an operator"
                + " truncates it to its last good batch, dropping the records from offset " + found.offset() + " on");
        try {
            listener.corruptionFound(topicPartition, found);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Corruption listener of partition " + topicPartition + " failed", e);
        }
    }

    /** The damage was removed (by truncation, or found gone). Write lock held. */
    void cleared() {
        known = null;
    }

    /**
     * Rebuilds the indexes of {@code segment}, found to disagree with its checked data, if the log is as it was when
     * the data was read ({@link #unchangedSince}).
     *
     * @return whether they were rebuilt
     * @throws org.apache.kafka.common.errors.KafkaStorageException if that failed (the log is offline then)
     */
    boolean rebuildIndexesIfUnchanged(LogSegment segment, long truncationsBefore, String mismatch) {
        writeLock.lock();
        try {
            if (!unchangedSince(segment, truncationsBefore))
                return false;
            local.rebuildIndexes(segment);
        } catch (IOException e) {
            throw local.fail("rebuilding the indexes of " + segment.logFile(), e);
        } finally {
            writeLock.unlock();
        }
        integrity.indexesRebuilt();
        LOG.warning(() -> "Partition " + topicPartition + ": rebuilt the indexes of " + segment.logFile()
                + " from its data, which is intact: " + mismatch);
        return true;
    }
}
