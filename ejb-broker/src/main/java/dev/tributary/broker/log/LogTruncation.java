package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The truncations of one partition log: {@link PartitionLog#truncateTo}, {@link PartitionLog#truncateFullyAndStartAt}
 * and {@link PartitionLog#truncateToLastGood}, whose contracts are written on {@link PartitionLog}. Each cuts the
 * segments ({@link LocalLog}) crash-safely and brings what the partition keeps beside them into line: the high
 * watermark and the log start offset drop with the log end before any file shrinks, then the leader-epoch history is
 * cut and the producer state rebuilt ({@link PartitionProducers#reload}), and the {@link TruncationListener} (the
 * cleaner, which must not swap in a segment a truncation changed) is told first.
 *
 * <p><b>Concurrency.</b> Every truncation runs under the owning log's write lock, which this class takes; the high
 * watermark's listeners are told after it is released.
 */
final class LogTruncation {
    private static final Logger LOG = Logger.getLogger(PartitionLog.class.getName());

    private final TopicPartition topicPartition;
    private final Clock clock;
    private final LocalLog local;
    private final ReentrantLock writeLock;
    private final HighWatermark highWatermark;
    private final LeaderEpochHistory epochs;
    private final PartitionProducers producers;
    private final LogDamage damage;
    private final LongSupplier logStartOffset;
    private final LongConsumer setLogStartOffset;
    /** Told of truncations, under the write lock: the cleaner, which must not replace what a truncation changed. */
    private volatile TruncationListener truncationListener = TruncationListener.NONE;

    /**
     * @param logStartOffset    reads the owner's log start offset
     * @param setLogStartOffset publishes a new one (under the write lock, which the truncation holds)
     */
    LogTruncation(TopicPartition topicPartition, Clock clock, LocalLog local, ReentrantLock writeLock,
                  HighWatermark highWatermark, LeaderEpochHistory epochs, PartitionProducers producers,
                  LogDamage damage, LongSupplier logStartOffset, LongConsumer setLogStartOffset) {
        this.topicPartition = topicPartition;
        this.clock = clock;
        this.local = local;
        this.writeLock = writeLock;
        this.highWatermark = highWatermark;
        this.epochs = epochs;
        this.producers = producers;
        this.damage = damage;
        this.logStartOffset = logStartOffset;
        this.setLogStartOffset = setLogStartOffset;
    }

    void setListener(TruncationListener listener) {
        truncationListener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * See {@link PartitionLog#truncateTo}.
     *
     * <p>The segments are cut as {@link LocalLog#truncateTo} describes, crash-safely; the high watermark drops to
     * the cut with the log end if it was above; the epoch history loses the epochs starting at or after the cut,
     * written after the segments are cut, so the checkpoint never lacks an epoch the files hold; the producer state is
     * rebuilt from the last snapshot below the cut and the batches after it. If nothing at or above the log start
     * offset would remain, this is {@link #truncateFullyAndStartAt truncateFullyAndStartAt}(the cut). A truncation
     * interrupted by a crash is simply incomplete.
     */
    long truncateTo(long offset) {
        if (offset < 0)
            throw new IllegalArgumentException("Cannot truncate partition " + topicPartition + " to offset " + offset);
        long raisedHighWatermark = -1;
        writeLock.lock();
        try {
            local.ensureWritable();
            long end = local.logEndOffset();
            if (offset >= end)
                return end;
            long cut = local.batchBoundaryAtOrBelow(offset);
            truncationListener.truncated(topicPartition, cut);
            if (cut < logStartOffset.getAsLong()) {
                raisedHighWatermark = truncateFullyLocked(cut);
            } else {
                local.truncateTo(cut, this::publishTruncatedEnd);
                afterCut(cut);
            }
            LOG.info(() -> "Partition " + topicPartition + ": truncated to offset " + local.logEndOffset()
                    + " (asked for " + offset + ", the log ended at " + end + ")");
            return local.logEndOffset();
        } catch (IOException e) {
            throw local.fail("truncating the log", e);
        } finally {
            writeLock.unlock();
            if (raisedHighWatermark >= 0)
                highWatermark.notifyListeners(raisedHighWatermark);
        }
    }

    /**
     * See {@link PartitionLog#truncateFullyAndStartAt}.
     *
     * <p>Crash safety: the records at and above {@code newStart} are removed first (as by {@link #truncateTo}),
     * then the log start offset is checkpointed and the new empty segment created, and only then are the old segments,
     * all below the new start by then, deleted. A crash at any point leaves a valid log that a retry completes.
     */
    void truncateFullyAndStartAt(long newStart) {
        if (newStart < 0)
            throw new IllegalArgumentException("Cannot start partition " + topicPartition + " at offset " + newStart);
        long raisedHighWatermark;
        writeLock.lock();
        try {
            local.ensureWritable();
            truncationListener.truncated(topicPartition, newStart);
            raisedHighWatermark = truncateFullyLocked(newStart);
            LOG.info(() -> "Partition " + topicPartition + ": emptied, starting at offset " + newStart);
        } catch (IOException e) {
            throw local.fail("emptying the log", e);
        } finally {
            writeLock.unlock();
        }
        if (raisedHighWatermark >= 0)
            highWatermark.notifyListeners(raisedHighWatermark);
    }

    /** Write lock held. Returns the new high watermark if that rose, else -1. */
    private long truncateFullyLocked(long newStart) throws IOException {
        long oldHighWatermark = highWatermark.offset();
        if (newStart < local.logEndOffset())
            local.truncateTo(Math.max(newStart, local.firstSegment().baseOffset()), this::publishTruncatedEnd);
        OffsetCheckpointFile.LOG_START_OFFSET.write(local.dir(), newStart);
        local.truncateFullyAndStartAt(newStart, (empty, setEnd) -> {
            highWatermark.resetWithLogEnd(empty, setEnd);
            setLogStartOffset.accept(newStart);
        });
        highWatermark.checkpoint();
        if (epochs.clear())
            epochs.write();
        producers.clear();
        return newStart > oldHighWatermark ? newStart : -1;
    }

    /**
     * The {@link LocalLog.TruncatedEnd} of a truncation: the high watermark, and the log start offset if a full
     * truncation goes below it, drop to the new log end with it.
     */
    private void publishTruncatedEnd(LogOffsetMetadata end, Runnable setEnd) throws IOException {
        highWatermark.lowerWithLogEnd(end, () -> {
            setEnd.run();
            if (logStartOffset.getAsLong() > end.messageOffset())
                setLogStartOffset.accept(end.messageOffset());
        });
    }

    /** The segments were cut at {@code cut}: the epoch history and the producer state follow. Write lock held. */
    private void afterCut(long cut) throws IOException {
        if (epochs.truncateFromEnd(cut))
            epochs.write();
        producers.reload(cut, logStartOffset.getAsLong(), clock.millis());
    }

    /**
     * See {@link PartitionLog#truncateToLastGood}.
     *
     * <p>The damaged segment is checked again from its start, under the write lock, to find the last good batch;
     * the log is cut right after it, at that position (the damaged batch's header cannot be trusted to lead
     * anywhere), crash-safely as {@link #truncateTo} cuts. Appends then continue at that offset: the offsets dropped
     * will be given to new records. If the damage lies below the log start offset, the log is emptied and starts at
     * its log start offset again, so no offset below it comes back. If the segment is gone (retention removed it)
     * or now reads back intact (the damage was in memory, or an index misled the read that reported it), nothing
     * is cut; an intact segment gets its indexes rebuilt.
     */
    Optional<LastGoodTruncation> truncateToLastGood() {
        long raisedHighWatermark = -1;
        LastGoodTruncation done;
        writeLock.lock();
        try {
            local.ensureWritable();
            Optional<CorruptBatch> known = damage.known();
            if (known.isEmpty())
                return Optional.empty();
            long endBefore = local.logEndOffset();
            Optional<LogSegment> segment = local.segmentAt(known.get().segmentBaseOffset());
            RecordBatchScanner.Result scan = segment.isPresent() ? segment.get().verify((batch, position) -> { })
                    : null;
            String outcome;
            if (scan == null) {
                outcome = "the damaged segment is no longer part of the log; nothing was cut";
            } else if (scan.damage().isEmpty()) {
                local.rebuildIndexes(segment.get());
                outcome = "the damaged segment now reads back intact; nothing was cut and its indexes were rebuilt";
            } else {
                long cut = scan.nextOffset();
                long start = logStartOffset.getAsLong();
                local.truncateAt(segment.get(), cut, scan.validBytes(), this::publishTruncatedEnd);
                if (cut < start)
                    raisedHighWatermark = truncateFullyLocked(start);
                else
                    afterCut(cut);
                outcome = "cut after the last good batch, at position " + scan.validBytes() + " of "
                        + known.get().segmentFile().getFileName()
                        + (cut < start ? ", then emptied at its log start offset " + start : "");
            }
            damage.cleared();
            long end = local.logEndOffset();
            done = new LastGoodTruncation(topicPartition, known.get(), endBefore, end, endBefore - end, outcome);
        } catch (IOException e) {
            throw local.fail("truncating the log to its last good batch", e);
        } finally {
            writeLock.unlock();
        }
        if (raisedHighWatermark >= 0)
            highWatermark.notifyListeners(raisedHighWatermark);
        LOG.warning(() -> "Partition " + topicPartition + ": truncated to its last good batch: " + done.outcome()
                + "; the log end offset went from " + done.logEndOffsetBefore() + " to " + done.logEndOffset() + " ("
                + done.recordsDropped() + " offsets dropped). It serves again.");
        return Optional.of(done);
    }
}
