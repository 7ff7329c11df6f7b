package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * What removes records from the start of one partition log: retention ({@link PartitionLog#applyRetention}, whole
 * segments by Kafka's rules in {@link RetentionPolicy}) and DeleteRecords ({@link PartitionLog#advanceLogStartOffset});
 * their contracts are written on {@link PartitionLog}. Either moves the log start offset and then has the producer
 * state forget the producers below it and the leader-epoch history drop the epochs before it.
 *
 * <p><b>Concurrency.</b> Both run under the owning log's write lock, which this class takes. The new log start offset
 * is published before any segment is removed: a reader that still passes the range check then finds its segment,
 * and one that finds no segment re-checks the range and gets {@link OffsetOutOfRangeException}.
 */
final class LogRetention {
    private static final Logger LOG = Logger.getLogger(PartitionLog.class.getName());

    private final TopicPartition topicPartition;
    private final LocalLog local;
    private final ReentrantLock writeLock;
    private final HighWatermark highWatermark;
    private final LeaderEpochHistory epochs;
    private final PartitionProducers producers;
    private final LongSupplier logStartOffset;
    private final LongConsumer setLogStartOffset;

    /**
     * @param logStartOffset    reads the owner's log start offset
     * @param setLogStartOffset publishes a new one (under the write lock, which this class holds then)
     */
    LogRetention(TopicPartition topicPartition, LocalLog local, ReentrantLock writeLock, HighWatermark highWatermark,
                 LeaderEpochHistory epochs, PartitionProducers producers, LongSupplier logStartOffset,
                 LongConsumer setLogStartOffset) {
        this.topicPartition = topicPartition;
        this.local = local;
        this.writeLock = writeLock;
        this.highWatermark = highWatermark;
        this.epochs = epochs;
        this.producers = producers;
        this.logStartOffset = logStartOffset;
        this.setLogStartOffset = setLogStartOffset;
    }

    /** See {@link PartitionLog#advanceLogStartOffset}. */
    long advanceLogStartOffset(long offset) {
        writeLock.lock();
        try {
            local.ensureWritable();
            long hw = highWatermark.offset();
            if (offset < 0 || offset > hw)
                throw new OffsetOutOfRangeException("Cannot delete the records of partition " + topicPartition
                        + " below offset " + offset + ": it must be between 0 and the high watermark " + hw);
            if (offset <= logStartOffset.getAsLong())
                return logStartOffset.getAsLong();
            local.awaitDurable(offset);
            OffsetCheckpointFile.LOG_START_OFFSET.write(local.dir(), offset);
            setLogStartOffset.accept(offset);
            producers.onLogStartOffsetIncremented(offset);
            if (epochs.truncateFromStart(offset))
                epochs.write();
            LOG.info(() -> "Partition " + topicPartition + ": deleted the records below offset " + offset);
            return offset;
        } catch (IOException e) {
            throw local.fail("writing the log start offset checkpoint", e);
        } finally {
            writeLock.unlock();
        }
    }

    /** See {@link PartitionLog#applyRetention}. */
    int applyRetention(long nowMs) {
        writeLock.lock();
        try {
            local.ensureWritable();
            int deleted = 0;
            for (RetentionPolicy.Expired expired : RetentionPolicy.expired(local, logStartOffset.getAsLong(),
                    highWatermark.offset(), local.config(), nowMs))
                deleted += delete(expired, nowMs);
            if (deleted > 0) {
                producers.onLogStartOffsetIncremented(logStartOffset.getAsLong());
                if (epochs.truncateFromStart(logStartOffset.getAsLong()))
                    epochs.write();
            }
            local.deleteDueSegmentFiles(nowMs);
            return deleted;
        } catch (IOException e) {
            throw local.fail("applying retention", e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Deletes the segments retention found expired, rolling first if they are all there are. Write lock held. */
    private int delete(RetentionPolicy.Expired expired, long nowMs) throws IOException {
        List<LogSegment> segments = expired.segments();
        if (segments.size() == local.segmentCount())
            local.roll(); // the log keeps at least one segment: an empty new active one
        // Move the start first: a reader that still passes the range check then finds its segment (removal comes
        // after), and one that finds no segment re-checks the range and gets OffsetOutOfRangeException.
        long after = local.nextOffsetAfter(segments.get(segments.size() - 1));
        setLogStartOffset.accept(Math.max(logStartOffset.getAsLong(), after));
        local.deleteOldestSegments(segments, nowMs);
        LOG.info(() -> "Partition " + topicPartition + ": deleted " + segments.size() + " segment(s) by "
                + expired.rule() + "; log start offset is now " + logStartOffset.getAsLong());
        return segments.size();
    }
}
