package dev.tributary.broker.log;

import dev.tributary.broker.metrics.BrokerMetrics;
import dev.tributary.broker.metrics.TopicTraffic;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.FileRecords.LogOffsetPosition;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The log of one topic partition (Kafka's {@code UnifiedLog}): an append-only sequence of RecordBatch v2 batches
 * with contiguous offsets, stored as {@link LogSegment}s in one directory.
 *
 * <p><b>Invariants.</b> Offsets are contiguous from {@link #logStartOffset()} to {@link #logEndOffset()} - 1.
 * The log start offset only moves forward and never passes the log end offset; segments may still hold records
 * below it until retention removes them. There is always at least one segment; the last is the active one and the
 * only one appended to. Every segment but the active one is fully fsynced. Every offset below
 * {@link #recoveryPoint()} is on disk.
 *
 * <p><b>High watermark.</b> Consumers read only below the {@link #highWatermark()}, which never passes the log end
 * offset and never falls below the log start offset. By default it follows the log end, as fits a partition with
 * one replica; a replica of a replicated partition turns that off ({@link #setHighWatermarkFollowsLogEnd}) and its
 * replication layer raises it ({@link #updateHighWatermark}). Only truncation lowers it.
 *
 * <p><b>Leader epochs.</b> Every batch carries the leader epoch it was appended under, and the log keeps the history
 * of epochs and where each started ({@link LeaderEpochHistory}): {@link #append} stamps batches with the latest epoch
 * ({@link #assignLeaderEpoch}), {@link #appendAsFollower} records the epochs of the leader's batches, truncation cuts
 * the history with the log. A log never given an epoch is at epoch 0 from its start.
 *
 * <p><b>Concurrency.</b> One writer at a time: the appends, {@link #truncateTo}, {@link #truncateFullyAndStartAt},
 * {@link #assignLeaderEpoch}, {@link #advanceLogStartOffset}, {@link #applyRetention}, {@link #close} and
 * {@link #closeAndDelete} serialize on a write lock. Readers ({@link #read}, {@link #offsetForTimestamp},
 * {@link #endOffsetForEpoch} and the accessors) never take it and never wait for a writer: the log end offset is
 * published in a volatile field after a batch is completely written and indexed, and every read is bounded by it,
 * so a reader sees whole appended batches only. fsyncs happen outside the write lock (see {@link GroupCommit}), so
 * appenders keep writing while an fsync runs. The high watermark has its own small lock, so the replication layer
 * can raise it without waiting for an append.
 *
 * <p><b>Idempotent producers.</b> The log keeps the state of the idempotent producers that appended to it
 * ({@link ProducerStateManager}): {@link #append} answers a retried batch with its original offsets instead of
 * appending it again, also after a restart or a crash, because the state is snapshotted with the log and rebuilt
 * from it on open. Checks and updates of that state happen under the write lock, with the append they belong to;
 * {@link #removeExpiredProducers} takes the write lock too.
 *
 * <p><b>Failure.</b> An I/O error while appending or fsyncing takes the log offline: further appends throw
 * {@link KafkaStorageException}; close it and open it again to recover.
 */
public final class PartitionLog implements Closeable {
    private static final Logger LOG = Logger.getLogger(PartitionLog.class.getName());

    private final Path dir;
    private final TopicPartition topicPartition;
    private final Clock clock;
    private final LogSegments segments;
    private final RecoveryInfo recoveryInfo;
    private final GroupCommit groupCommit;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Object checkpointLock = new Object();
    /** Guarded by the write lock. */
    private final DelayedSegmentDeletion delayedDeletion = new DelayedSegmentDeletion();
    /** Guarded by the write lock. */
    private final ProducerStateManager producerState;
    /** Mutated under the write lock. */
    private final LeaderEpochHistory epochs;
    private final CopyOnWriteArrayList<AppendListener> highWatermarkListeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<LogEndListener> logEndListeners = new CopyOnWriteArrayList<>();
    private final TopicTraffic traffic;
    /**
     * Guards changes of {@link #highWatermark} and the lowering of {@link #logEnd} (truncation), so that the high
     * watermark never passes the log end. Taken after the write lock, never before it.
     */
    private final Object highWatermarkLock = new Object();
    /**
     * The high watermark, with its place on disk once a reader has looked it up (or taken it from the log end):
     * readers cache the resolved place with a compare-and-set, so they never overwrite a newer high watermark.
     */
    private final AtomicReference<LogOffsetMetadata> highWatermark;

    private volatile LogConfig config;
    private volatile LogOffsetMetadata logEnd;
    private volatile long logStartOffset;
    private volatile boolean highWatermarkFollowsLogEnd;
    private volatile boolean closed;
    private volatile String failure;
    /** Guarded by {@link #checkpointLock}. */
    private long checkpointedRecoveryPoint;
    /** Guarded by {@link #checkpointLock}; -1 if there is no checkpoint. */
    private long checkpointedHighWatermark;

    @FunctionalInterface
    private interface SegmentPredicate {
        boolean test(LogSegment segment) throws IOException;
    }

    private PartitionLog(Path dir, TopicPartition topicPartition, LogConfig config, Clock clock,
                         LogLoader.LoadedLog loaded, FlushListener flushListener, BrokerMetrics metrics,
                         boolean highWatermarkFollowsLogEnd) {
        this.dir = dir;
        this.traffic = metrics.topic(topicPartition.topic());
        this.topicPartition = topicPartition;
        this.config = config;
        this.clock = clock;
        this.segments = loaded.segments();
        this.recoveryInfo = loaded.info();
        this.producerState = loaded.producerState();
        LogSegment active = segments.last();
        this.logEnd = new LogOffsetMetadata(loaded.logEndOffset(), active.baseOffset(), active.size());
        this.logStartOffset = loaded.logStartOffset();
        this.checkpointedRecoveryPoint = loaded.recoveryPoint();
        this.epochs = loaded.epochs();
        this.highWatermarkFollowsLogEnd = highWatermarkFollowsLogEnd;
        this.checkpointedHighWatermark = loaded.highWatermark().orElse(-1);
        long startingHighWatermark = highWatermarkFollowsLogEnd ? loaded.logEndOffset()
                : Math.max(logStartOffset, Math.min(loaded.highWatermark().orElse(logStartOffset), loaded.logEndOffset()));
        this.highWatermark = new AtomicReference<>(startingHighWatermark == loaded.logEndOffset() ? logEnd
                : LogOffsetMetadata.unresolved(startingHighWatermark));
        this.groupCommit = new GroupCommit(loaded.recoveryPoint(), () -> logEnd.messageOffset(), this::flushSegments,
                clock::millis, flushListener, metrics.flushTimes());
    }

    /**
     * Opens the log in {@code dir}, creating it if absent, and recovers it if it was not closed cleanly (see
     * {@link LogLoader}).
     *
     * @throws LogCorruptionException if the log holds damage that must not be repaired by truncation; the caller
     *                                should take the partition offline
     * @throws KafkaStorageException  if the files cannot be read or written
     */
    public static PartitionLog open(Path dir, TopicPartition tp, LogConfig config, Clock clock) {
        return open(dir, tp, config, clock, new BrokerMetrics());
    }

    /**
     * As {@link #open(Path, TopicPartition, LogConfig, Clock)}, counting appends in {@code metrics}' traffic of
     * the partition's topic and timing fsyncs in its {@link BrokerMetrics#flushTimes()}.
     */
    public static PartitionLog open(Path dir, TopicPartition tp, LogConfig config, Clock clock, BrokerMetrics metrics) {
        return open(dir, tp, config, clock, FlushListener.NONE, metrics, true);
    }

    /**
     * As {@link #open(Path, TopicPartition, LogConfig, Clock, BrokerMetrics)}, for a replica whose high watermark
     * the replication layer may own: with {@code highWatermarkFollowsLogEnd} false the log starts at its
     * checkpointed high watermark (clamped to its offsets; the log start offset if there is none) instead of its log
     * end offset, so a restarted replica does not show records it did not know to be replicated. See
     * {@link #setHighWatermarkFollowsLogEnd}.
     */
    public static PartitionLog open(Path dir, TopicPartition tp, LogConfig config, Clock clock, BrokerMetrics metrics,
                                    boolean highWatermarkFollowsLogEnd) {
        return open(dir, tp, config, clock, FlushListener.NONE, metrics, highWatermarkFollowsLogEnd);
    }

    static PartitionLog open(Path dir, TopicPartition tp, LogConfig config, Clock clock, FlushListener listener) {
        return open(dir, tp, config, clock, listener, new BrokerMetrics(), true);
    }

    private static PartitionLog open(Path dir, TopicPartition tp, LogConfig config, Clock clock,
                                     FlushListener listener, BrokerMetrics metrics, boolean highWatermarkFollowsLogEnd) {
        Objects.requireNonNull(config, "config");
        try {
            LogLoader.LoadedLog loaded = LogLoader.load(dir, tp, config, clock.millis());
            return new PartitionLog(dir, tp, config, clock, loaded, listener, metrics, highWatermarkFollowsLogEnd);
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot open the log of partition " + tp + " in " + dir + ": " + e, e);
        }
    }

    /**
     * Appends the batches of {@code records} as the partition's leader, assigning them contiguous offsets from the
     * log end offset.
     *
     * <p>Every batch is validated first (RecordBatch v2, CRC, size, record count); if any fails nothing of the
     * request is written. The batches' headers are then rewritten in place: base offset, partition leader epoch
     * (the latest, see {@link #assignLeaderEpoch}), and under {@code LogAppendTime} the timestamp (with a new CRC) —
     * so {@code records}' buffer is modified. A new segment
     * is rolled first if the active one would exceed {@code segment.bytes}, is older than {@code segment.ms}, or
     * has a full index.
     *
     * <p>Batches of an idempotent producer (with a producer id) are checked against its state first, under the
     * write lock: a retry of one of its last five appends is not written again but answered with the original
     * offsets ({@link LogAppendInfo#duplicate()}), once those are as durable as a new append would be.
     *
     * <p>Durability follows {@code flush.messages}: with N, the append that leaves N or more messages unflushed
     * returns only after they are fsynced; with the default of 1 every append returns durable. Concurrent appenders
     * share fsyncs (group commit). {@code Long.MAX_VALUE} never fsyncs on append ({@code flush.ms} and roll still
     * do).
     *
     * @throws InvalidRecordException       empty request, a batch that is not v2, is empty, or is a control batch
     * @throws CorruptRecordException       a batch fails its CRC or the request ends in a partial batch
     * @throws RecordTooLargeException      a batch is larger than {@code max.message.bytes}
     * @throws RecordBatchTooLargeException the request is larger than {@code segment.bytes}
     * @throws InvalidTimestampException    a {@code CreateTime} batch carries an invalid timestamp
     * @throws OutOfOrderSequenceException  a producer's sequence does not follow its last batch
     * @throws InvalidProducerEpochException a producer's epoch is older than its current one
     * @throws UnknownProducerIdException   no state for the producer and its sequence does not start at 0
     * @throws InvalidTxnStateException     a transactional batch (transactions are not supported)
     * @throws KafkaStorageException        the log is closed or offline, or an I/O error took it offline now
     */
    public LogAppendInfo append(MemoryRecords records) {
        LogAppendInfo info = appendUnflushed(records);
        awaitFlushPolicy(info);
        return info;
    }

    /**
     * The first half of {@link #append}: writes the records (or recognises a retry) and returns without waiting
     * for the fsync that {@code flush.messages} may demand; the caller must call {@link #awaitFlushPolicy} before it
     * acknowledges them. Lets a caller append to several partitions, or read its connection's next request,
     * while the fsyncs run (and share them). Throws what {@link #append} throws.
     */
    public LogAppendInfo appendUnflushed(MemoryRecords records) {
        LogConfig cfg = config;
        LogValidator.ValidatedRecords validated = LogValidator.validate(topicPartition, records, cfg);
        ProducerAppend producer = ProducerAppend.of(topicPartition, records);
        LogAppendInfo info;
        long raisedHighWatermark = -1;
        writeLock.lock();
        try {
            ensureWritable();
            Optional<LogAppendInfo> duplicate =
                    producer == null ? Optional.empty() : producerState.findDuplicate(producer);
            info = duplicate.isPresent() ? duplicate.get() : appendLocked(records, validated, producer != null, cfg);
            if (!info.duplicate() && highWatermarkFollowsLogEnd)
                raisedHighWatermark = raiseHighWatermark(info.lastOffset() + 1);
        } catch (IOException e) {
            throw fail("appending to the log", e);
        } finally {
            writeLock.unlock();
        }
        if (!info.duplicate()) {
            traffic.appended(info.recordCount(), info.validBytes());
            notifyAppended(info.lastOffset() + 1, raisedHighWatermark);
        }
        return info;
    }

    /**
     * Appends batches replicated from the leader, as they are: their offsets, timestamps and partition leader
     * epochs were assigned by the leader and are kept. They are validated as {@link #append} validates them, and
     * must continue this log: the first starts at the log end offset and the others follow without gaps.
     *
     * <p>Idempotent producers' state is updated from the batches without any duplicate or sequence check (the
     * leader decided), so this replica answers retries correctly once it leads. A batch with an epoch newer than the
     * latest starts that epoch in the history (written before the batch). Rolling and {@code flush.messages} work
     * as for {@link #append}; {@link LogEndListener}s are told. The high watermark is not touched unless it follows
     * the log end: a follower's comes from the leader through {@link #updateHighWatermark}.
     *
     * @throws UnexpectedAppendOffsetException the batches do not start at the log end offset or leave gaps; which
     *                                         offsets is in the message
     * @throws InvalidRecordException          empty request, a batch that is not v2 or has no records
     * @throws CorruptRecordException          a batch fails its CRC or the request ends in a partial batch
     * @throws RecordTooLargeException         a batch is larger than {@code max.message.bytes}
     * @throws RecordBatchTooLargeException    the request is larger than {@code segment.bytes}
     * @throws KafkaStorageException           the log is closed or offline, or an I/O error took it offline now
     */
    public LogAppendInfo appendAsFollower(MemoryRecords records) {
        LogConfig cfg = config;
        LogValidator.ValidatedRecords validated = LogValidator.validateReplicated(topicPartition, records, cfg);
        LogAppendInfo info;
        long raisedHighWatermark = -1;
        writeLock.lock();
        try {
            ensureWritable();
            LogValidator.AssignedOffsets offsets =
                    LogValidator.checkReplicatedOffsets(topicPartition, records, logEnd.messageOffset());
            long now = clock.millis();
            recordEpochsOf(records);
            writeLocked(records, validated.sizeInBytes(), offsets.lastOffset(), now, cfg);
            producerState.update(records, now);
            info = new LogAppendInfo(offsets.firstOffset(), offsets.lastOffset(), offsets.maxTimestamp(),
                    logAppendTimeOf(records), validated.recordCount(), validated.sizeInBytes(), false);
            if (highWatermarkFollowsLogEnd)
                raisedHighWatermark = raiseHighWatermark(info.lastOffset() + 1);
        } catch (IOException e) {
            throw fail("appending replicated records to the log", e);
        } finally {
            writeLock.unlock();
        }
        notifyAppended(info.lastOffset() + 1, raisedHighWatermark);
        awaitFlushPolicy(info);
        return info;
    }

    /** Starts in the history every epoch of the batches newer than the latest, and writes it if it changed. */
    private void recordEpochsOf(MemoryRecords records) throws IOException {
        boolean changed = false;
        for (RecordBatch batch : records.batches()) {
            int epoch = batch.partitionLeaderEpoch();
            if (epoch >= 0 && epoch > epochs.latestEpoch())
                changed |= epochs.assign(epoch, batch.baseOffset(), logStartOffset, logEnd.messageOffset());
        }
        if (changed)
            epochs.write();
    }

    /** The append time the leader stamped on the batches under {@code LogAppendTime}, else -1. */
    private static long logAppendTimeOf(MemoryRecords records) {
        long appendTime = -1L;
        for (RecordBatch batch : records.batches()) {
            if (batch.timestampType() == TimestampType.LOG_APPEND_TIME)
                appendTime = Math.max(appendTime, batch.maxTimestamp());
        }
        return appendTime;
    }

    /**
     * Returns once the records of an {@link #appendUnflushed} are as durable as {@code flush.messages} demands of
     * an acknowledged append: fsynced if they (with what was unflushed before them) reach that many messages.
     *
     * @throws KafkaStorageException if the fsync failed (the log is offline now)
     */
    public void awaitFlushPolicy(LogAppendInfo appended) {
        long endOfAppend = appended.lastOffset() + 1;
        if (endOfAppend - groupCommit.durableOffset() >= config.flushMessages())
            awaitDurable(endOfAppend);
    }

    /** Writes an append that is not a retry and records it in its producer's state. Write lock held. */
    private LogAppendInfo appendLocked(MemoryRecords records, LogValidator.ValidatedRecords validated,
                                       boolean idempotent, LogConfig cfg) throws IOException {
        long now = clock.millis();
        long firstOffset = logEnd.messageOffset();
        LogValidator.AssignedOffsets assigned = LogValidator.assignOffsets(records, firstOffset, epochs.latestEpoch(),
                cfg.messageTimestampType(), now);
        writeLocked(records, validated.sizeInBytes(), assigned.lastOffset(), now, cfg);
        if (idempotent)
            producerState.update(records, now);
        long logAppendTime = cfg.messageTimestampType() == TimestampType.LOG_APPEND_TIME ? now : -1L;
        return new LogAppendInfo(firstOffset, assigned.lastOffset(), assigned.maxTimestamp(), logAppendTime,
                validated.recordCount(), validated.sizeInBytes(), false);
    }

    /**
     * Writes batches whose offsets are assigned to the active segment, rolling first if it is due, and publishes
     * the new log end offset. Write lock held.
     */
    private void writeLocked(MemoryRecords records, int sizeInBytes, long lastOffset, long now, LogConfig cfg)
            throws IOException {
        LogSegment segment;
        try {
            segment = rolledForFull(() -> maybeRoll(sizeInBytes, lastOffset, now, cfg));
            int sizeBefore = segment.size();
            try {
                segment.append(records, now);
            } catch (IOException e) {
                throw cutBackIfFull(segment, sizeBefore, e);
            }
        } catch (RuntimeException e) {
            if (e instanceof LogFullException)
                throw e;
            // the files may now hold part of this append beyond the published end: stop appending
            failure = String.valueOf(e);
            throw e;
        }
        logEnd = new LogOffsetMetadata(lastOffset + 1, segment.baseOffset(), segment.size());
    }

    private interface SegmentAction {
        LogSegment run() throws IOException;
    }

    /** Rolling needs space for the new segment's files: a full disk refuses this append, the log stays as it was. */
    private LogSegment rolledForFull(SegmentAction roll) throws IOException {
        try {
            return roll.run();
        } catch (IOException e) {
            if (LogFullException.isNoSpace(e))
                throw full(e);
            throw e;
        }
    }

    /**
     * An append that failed part-way: if the disk is full, cut the data file back to where the append began (the
     * indexes are written after the data, so they hold nothing of it) and refuse just this append; otherwise the
     * caller takes the log offline.
     */
    private IOException cutBackIfFull(LogSegment segment, int sizeBefore, IOException e) throws IOException {
        if (!LogFullException.isNoSpace(e))
            return e;
        try {
            segment.truncateTo(sizeBefore);
        } catch (IOException cannotCut) {
            e.addSuppressed(cannotCut);
            return e; // a partial append stays beyond the published end: offline until recovery cuts it
        }
        throw full(e);
    }

    private LogFullException full(IOException e) {
        LOG.warning(() -> "Partition " + topicPartition + ": the disk is full; append refused, nothing appended "
                + "before is touched, appends resume when space returns (" + e.getMessage() + ")");
        return new LogFullException("No space left to append to partition " + topicPartition + " in " + dir, e);
    }

    /**
     * Reads what consumers may see: {@link #read(long, int, FetchIsolation)} up to the high watermark.
     */
    public FetchDataInfo read(long startOffset, int maxBytes) {
        return read(startOffset, maxBytes, FetchIsolation.HIGH_WATERMARK);
    }

    /**
     * Reads from the batch containing {@code startOffset}: a zero-copy slice of one segment file of at most
     * {@code maxBytes}, but at least the whole first batch (Kafka's minOneMessage), so a consumer can always make
     * progress. See {@link FetchDataInfo} for the shape of the slice.
     *
     * <p>{@code isolation} bounds the slice: {@link FetchIsolation#HIGH_WATERMARK} (consumers) ends it at the last
     * batch boundary at or below the high watermark, leaving out a batch that straddles it;
     * {@link FetchIsolation#LOG_END} (replica fetches) at the log end. Reading at or beyond that bound, but not
     * beyond the log end, returns no records.
     *
     * @throws OffsetOutOfRangeException if {@code startOffset} is below the log start offset or above the log end
     *                                   offset; the message gives the valid range
     * @throws KafkaStorageException     if the log is closed
     */
    public FetchDataInfo read(long startOffset, int maxBytes, FetchIsolation isolation) {
        if (maxBytes < 0)
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        ensureOpen();
        LogOffsetMetadata end = logEnd;
        if (startOffset == end.messageOffset())
            return FetchDataInfo.empty(startOffset);
        checkInRange(startOffset, end);
        LogOffsetMetadata bound = isolation == FetchIsolation.LOG_END ? end : resolvedHighWatermark(end);
        if (startOffset >= bound.messageOffset())
            return FetchDataInfo.empty(startOffset);
        LogSegment segment = segments.floor(startOffset);
        while (segment != null && segment.baseOffset() <= bound.segmentBaseOffset()) {
            int maxPosition = segment.baseOffset() == bound.segmentBaseOffset() ? bound.positionInSegment()
                    : segment.size();
            FetchDataInfo info = segment.read(startOffset, maxBytes, maxPosition, true);
            if (info != null)
                return info;
            segment = segments.higher(segment.baseOffset());
        }
        // Retention removed the segment while we looked for it: the log start offset has already moved past it.
        checkInRange(startOffset, logEnd);
        if (bound.messageOffset() < end.messageOffset())
            return FetchDataInfo.empty(startOffset); // the batch holding startOffset straddles the high watermark
        throw new IllegalStateException("No batch holds offset " + startOffset + " of partition " + topicPartition
                + " although it is below the log end offset " + end.messageOffset());
    }

    /**
     * The high watermark with its place on disk, at most {@code end}. A high watermark set by
     * {@link #updateHighWatermark} is looked up once, with the offset index and a scan of batch headers from the
     * entry below it, and cached. If it falls inside a batch, its place is that batch's start, so reads leave the
     * batch out.
     */
    private LogOffsetMetadata resolvedHighWatermark(LogOffsetMetadata end) {
        LogOffsetMetadata hw = highWatermark.get();
        if (hw.messageOffset() >= end.messageOffset())
            return end;
        if (hw.isResolved())
            return hw;
        LogSegment segment = segments.floor(hw.messageOffset());
        if (segment == null) // below every segment: only while truncation replaces them all; nothing to read
            return new LogOffsetMetadata(hw.messageOffset(), Long.MIN_VALUE, 0);
        // size first: batches appended after it hold offsets at or above the high watermark
        int size = segment.size();
        LogOffsetPosition found = segment.translateOffset(hw.messageOffset());
        int position = found == null ? size : Math.min(found.position, size);
        LogOffsetMetadata resolved = new LogOffsetMetadata(hw.messageOffset(), segment.baseOffset(), position);
        highWatermark.compareAndSet(hw, resolved);
        return resolved;
    }

    private void checkInRange(long offset, LogOffsetMetadata end) {
        long start = logStartOffset;
        if (offset < start || offset > end.messageOffset())
            throw new OffsetOutOfRangeException("Offset " + offset + " is out of range for partition "
                    + topicPartition + ": the log holds offsets " + start + " to " + (end.messageOffset() - 1)
                    + " (log start offset " + start + ", log end offset " + end.messageOffset() + ")");
    }

    /**
     * The first offset whose record timestamp is at or after {@code timestamp}, with that record's timestamp, or
     * empty if every record is older. Finds the first segment whose largest timestamp qualifies, then uses its
     * time index and a scan. {@code timestamp} is a real time: Kafka's special values -1 (latest) and -2
     * (earliest) are for the protocol layer to map to {@link #logEndOffset()} and {@link #logStartOffset()}.
     */
    public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
        ensureOpen();
        LogOffsetMetadata end = logEnd;
        long start = logStartOffset;
        for (LogSegment segment : segments.all()) {
            if (segment.baseOffset() > end.segmentBaseOffset())
                break;
            if (segment.maxTimestamp() < timestamp)
                continue;
            Optional<TimestampOffset> found =
                    segment.findOffsetByTimestamp(timestamp, Math.max(start, segment.baseOffset()));
            if (found.isPresent())
                return found.get().offset() < end.messageOffset() ? found : Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * The first offset still in the log. Moves forward when retention deletes segments and when
     * {@link #advanceLogStartOffset} deletes records.
     */
    public long logStartOffset() {
        return logStartOffset;
    }

    /**
     * Deletes the records below {@code offset} by moving the log start offset there (Kafka's DeleteRecords): they
     * can no longer be read at once, and the segments that hold nothing else are removed by the next
     * {@link #applyRetention}. An offset at or below the current start changes nothing.
     *
     * <p>Durable before it returns: the records up to {@code offset} are fsynced first, then the new start is
     * checkpointed ({@code log-start-offset-checkpoint}, replaced atomically) and only then published, so after a
     * crash the log starts exactly there, and never beyond its end.
     *
     * @return the log start offset afterwards
     * @throws OffsetOutOfRangeException if {@code offset} is negative or above the high watermark
     * @throws KafkaStorageException     if the log is closed or offline, or the checkpoint cannot be written (which
     *                                   takes it offline)
     */
    public long advanceLogStartOffset(long offset) {
        writeLock.lock();
        try {
            ensureWritable();
            long highWatermark = highWatermark();
            if (offset < 0 || offset > highWatermark)
                throw new OffsetOutOfRangeException("Cannot delete the records of partition " + topicPartition
                        + " below offset " + offset + ": it must be between 0 and the high watermark "
                        + highWatermark);
            if (offset <= logStartOffset)
                return logStartOffset;
            awaitDurable(offset);
            OffsetCheckpointFile.LOG_START_OFFSET.write(dir, offset);
            logStartOffset = offset;
            producerState.onLogStartOffsetIncremented(offset);
            if (epochs.truncateFromStart(offset))
                epochs.write();
            LOG.info(() -> "Partition " + topicPartition + ": deleted the records below offset " + offset);
            return offset;
        } catch (IOException e) {
            throw fail("writing the log start offset checkpoint", e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Removes every record at and above {@code offset}: a follower's log that diverged from its leader's (Kafka's
     * {@code truncateTo}). Whole batches only: if {@code offset} falls inside a batch, the log is truncated to that
     * batch's base offset, below {@code offset}. Nothing happens if {@code offset} is at or beyond the log end.
     *
     * <p>Segments above the cut are deleted, the one holding it is cut back and becomes the active one; the epoch
     * history loses the epochs starting at or after the cut; the producer state is rebuilt from the last snapshot
     * below the cut and the batches after it; the high watermark and the recovery point drop to the cut if they were
     * above. If nothing at or above the log start offset would remain, this is
     * {@link #truncateFullyAndStartAt truncateFullyAndStartAt}(the cut).
     *
     * <p>Crash safety: the recovery point checkpoint is lowered first, so the loader validates everything from the
     * cut on; segments go from the last one down, each removal made durable before the next, so a crash leaves a
     * shorter but valid log; the cut segment is fsynced before the epoch checkpoint is rewritten, so the checkpoint
     * never lacks an epoch the files hold. A truncation interrupted by a crash is simply incomplete.
     *
     * @return the log end offset afterwards
     * @throws KafkaStorageException if the log is closed or offline, or an I/O error took it offline now
     */
    public long truncateTo(long offset) {
        if (offset < 0)
            throw new IllegalArgumentException("Cannot truncate partition " + topicPartition + " to offset " + offset);
        long raisedHighWatermark = -1;
        writeLock.lock();
        try {
            ensureWritable();
            long end = logEnd.messageOffset();
            if (offset >= end)
                return end;
            LogSegment holding = segments.floor(offset);
            long cut = holding == null ? offset : holding.batchBoundaryAtOrBelow(offset);
            if (cut < logStartOffset) {
                raisedHighWatermark = truncateFullyLocked(cut);
            } else {
                lowerRecoveryPoint(cut);
                publishTruncatedEnd(new LogOffsetMetadata(cut, holding.baseOffset(), holding.positionOf(cut)));
                cutTail(holding, cut);
                if (epochs.truncateFromEnd(cut))
                    epochs.write();
                reloadProducerState(cut);
            }
            LOG.info(() -> "Partition " + topicPartition + ": truncated to offset " + logEnd.messageOffset()
                    + " (asked for " + offset + ", the log ended at " + end + ")");
            return logEnd.messageOffset();
        } catch (IOException e) {
            throw fail("truncating the log", e);
        } finally {
            writeLock.unlock();
            if (raisedHighWatermark >= 0)
                notifyHighWatermarkListeners(raisedHighWatermark);
        }
    }

    /**
     * Deletes every record and starts the log empty at {@code newStart}, which becomes its log start offset, log end
     * offset and high watermark (Kafka's {@code truncateFullyAndStartAt}): for a follower so far behind that the
     * leader no longer has the records it needs next. The epoch history and the producer state start empty too.
     *
     * <p>Crash safety: the records at and above {@code newStart} are removed first (as by {@link #truncateTo}), then
     * the log start offset is checkpointed and the new empty segment created, and only then are the old segments,
     * all below the new start by then, deleted. A crash at any point leaves a valid log that a retry completes.
     *
     * @throws KafkaStorageException if the log is closed or offline, or an I/O error took it offline now
     */
    public void truncateFullyAndStartAt(long newStart) {
        if (newStart < 0)
            throw new IllegalArgumentException("Cannot start partition " + topicPartition + " at offset " + newStart);
        long raisedHighWatermark;
        writeLock.lock();
        try {
            ensureWritable();
            raisedHighWatermark = truncateFullyLocked(newStart);
            LOG.info(() -> "Partition " + topicPartition + ": emptied, starting at offset " + newStart);
        } catch (IOException e) {
            throw fail("emptying the log", e);
        } finally {
            writeLock.unlock();
        }
        if (raisedHighWatermark >= 0)
            notifyHighWatermarkListeners(raisedHighWatermark);
    }

    /** Write lock held. Returns the new high watermark if that rose, else -1. */
    private long truncateFullyLocked(long newStart) throws IOException {
        long oldHighWatermark = highWatermark();
        lowerRecoveryPoint(newStart);
        LogOffsetMetadata empty = new LogOffsetMetadata(newStart, newStart, 0);
        long end = logEnd.messageOffset();
        publishTruncatedEnd(empty);
        logStartOffset = newStart;
        synchronized (highWatermarkLock) {
            highWatermark.set(empty);
        }
        LogSegment first = segments.first();
        long cutAt = Math.max(first.baseOffset(), Math.min(newStart, end));
        if (cutAt < end) {
            LogSegment holding = segments.floor(cutAt);
            cutTail(holding, holding.batchBoundaryAtOrBelow(cutAt));
        }
        OffsetCheckpointFile.LOG_START_OFFSET.write(dir, newStart);
        LogSegment active = segments.last();
        if (active.baseOffset() != newStart) {
            active = LogSegment.open(dir, newStart, config);
            segments.add(active);
            LogFiles.fsyncDirectory(dir);
        }
        long deleteAt = clock.millis() + config.fileDeleteDelayMs();
        for (LogSegment segment : new ArrayList<>(segments.all())) {
            if (segment != active) {
                segments.remove(segment);
                delayedDeletion.schedule(segment, deleteAt);
            }
        }
        LogFiles.fsyncDirectory(dir);
        active.initRollingBase(clock.millis());
        synchronized (checkpointLock) {
            OffsetCheckpointFile.RECOVERY_POINT.write(dir, newStart);
            checkpointedRecoveryPoint = newStart;
        }
        groupCommit.resetDurableOffset(newStart);
        writeHighWatermarkCheckpoint();
        if (epochs.clear())
            epochs.write();
        producerState.truncateFully();
        return newStart > oldHighWatermark ? newStart : -1;
    }

    /**
     * Lowers the recovery point, checkpoint first, to {@code offset} if it is above: what is written at and above the
     * cut from now on must be validated after a crash. Write lock held.
     */
    private void lowerRecoveryPoint(long offset) throws IOException {
        synchronized (checkpointLock) {
            if (checkpointedRecoveryPoint > offset) {
                OffsetCheckpointFile.RECOVERY_POINT.write(dir, offset);
                checkpointedRecoveryPoint = offset;
            }
        }
        if (groupCommit.durableOffset() > offset)
            groupCommit.resetDurableOffset(offset);
    }

    /**
     * Publishes a lower log end, and the high watermark with it if that was above, before the files shrink: readers
     * are bounded by them, so none starts reading what is being removed. Write lock held.
     */
    private void publishTruncatedEnd(LogOffsetMetadata end) throws IOException {
        synchronized (highWatermarkLock) {
            logEnd = end;
            if (highWatermark.get().messageOffset() > end.messageOffset())
                highWatermark.set(end);
        }
        synchronized (checkpointLock) {
            if (checkpointedHighWatermark > end.messageOffset()) {
                OffsetCheckpointFile.HIGH_WATERMARK.write(dir, end.messageOffset());
                checkpointedHighWatermark = end.messageOffset();
            }
        }
    }

    /**
     * Deletes the segments after {@code holding}, the last one first and each deletion made durable before the next
     * (a crash leaves a prefix of the log, never a log with a hole), then cuts {@code holding} back to
     * {@code batchBoundary}. Their files are renamed {@code .deleted} and removed after {@code file.delete.delay.ms},
     * so reads already under way complete. Write lock held.
     */
    private void cutTail(LogSegment holding, long batchBoundary) throws IOException {
        long deleteAt = clock.millis() + config.fileDeleteDelayMs();
        for (LogSegment last = segments.last(); last != holding; last = segments.last()) {
            segments.remove(last);
            delayedDeletion.schedule(last, deleteAt);
            LogFiles.fsyncDirectory(dir);
        }
        holding.truncateFrom(batchBoundary, clock.millis());
    }

    /**
     * Rebuilds the producer state for a log that now ends at {@code logEndOffset}: from the newest snapshot at or
     * below it and the batches after it. Write lock held.
     */
    private void reloadProducerState(long logEndOffset) throws IOException {
        producerState.deleteSnapshotsAbove(logEndOffset);
        long from = producerState.loadLatestSnapshot(logEndOffset).orElse(0);
        long now = clock.millis();
        for (LogSegment segment : segments.overlapping(from, logEndOffset))
            segment.forEachBatchFrom(from, (batch, position) -> producerState.replay(batch, now));
        producerState.onLogStartOffsetIncremented(logStartOffset);
    }

    /** The offset the next appended record will get; every offset below it is fully appended. */
    public long logEndOffset() {
        return logEnd.messageOffset();
    }

    /**
     * The offset below which records are visible to consumers: the log end offset while the high watermark follows
     * it (the default), otherwise what the replication layer last set, the offset replicated to all in-sync
     * replicas. Between the log start offset and the log end offset.
     */
    public long highWatermark() {
        return highWatermark.get().messageOffset();
    }

    /**
     * Whether every append raises the high watermark to the new log end offset: true (the default) for a partition
     * with one replica; false for a replica of a replicated partition, whose high watermark the replication layer
     * sets with {@link #updateHighWatermark}. Turning it on raises the high watermark to the log end at once (telling
     * the {@link AppendListener}s); turning it off keeps the high watermark where it is.
     */
    public void setHighWatermarkFollowsLogEnd(boolean follows) {
        long raised;
        synchronized (highWatermarkLock) {
            highWatermarkFollowsLogEnd = follows;
            raised = follows ? raiseHighWatermark(logEnd.messageOffset()) : -1;
        }
        if (raised >= 0)
            notifyHighWatermarkListeners(raised);
    }

    public boolean highWatermarkFollowsLogEnd() {
        return highWatermarkFollowsLogEnd;
    }

    /**
     * Raises the high watermark to {@code offset}, or to the log end offset if that is lower; never lowers it. Tells
     * the {@link AppendListener}s if it rose. Safe to call from any thread; does not wait for appends.
     *
     * @return whether the high watermark rose
     * @throws KafkaStorageException if the log is closed
     */
    public boolean updateHighWatermark(long offset) {
        ensureOpen();
        long raised = raiseHighWatermark(offset);
        if (raised < 0)
            return false;
        notifyHighWatermarkListeners(raised);
        return true;
    }

    /** Raises the high watermark to min(offset, log end offset); returns the new value if it rose, else -1. */
    private long raiseHighWatermark(long offset) {
        synchronized (highWatermarkLock) {
            LogOffsetMetadata end = logEnd;
            long target = Math.min(offset, end.messageOffset());
            if (target <= highWatermark.get().messageOffset())
                return -1;
            highWatermark.set(target == end.messageOffset() ? end : LogOffsetMetadata.unresolved(target));
            return target;
        }
    }

    /**
     * The latest leader epoch: the one appended records are stamped with. A log that was never given an epoch is
     * at epoch 0, so this is currently never empty; it is optional as Kafka's is, for a history that can be empty.
     */
    public OptionalInt latestLeaderEpoch() {
        return OptionalInt.of(epochs.latestEpoch());
    }

    /**
     * This replica becomes the partition's leader at {@code epoch}: if the epoch is newer than the latest, it starts
     * at the log end offset (written to {@code leader-epoch-checkpoint} before this returns), and later appends are
     * stamped with it. An epoch that is not newer changes nothing.
     *
     * @throws KafkaStorageException the log is closed or offline, or the checkpoint cannot be written (which takes
     *                               it offline)
     */
    public void assignLeaderEpoch(int epoch) {
        writeLock.lock();
        try {
            ensureWritable();
            if (epoch <= epochs.latestEpoch())
                return;
            if (epochs.assign(epoch, logEnd.messageOffset(), logStartOffset, logEnd.messageOffset()))
                epochs.write();
            LOG.fine(() -> "Partition " + topicPartition + ": leader epoch " + epoch + " starts at offset "
                    + logEnd.messageOffset());
        } catch (IOException e) {
            throw fail("writing the leader epoch checkpoint", e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Where leader epoch {@code requestedEpoch} ends in this log, as OffsetsForLeaderEpoch answers (Kafka's
     * {@code LeaderEpochFileCache.endOffsetFor}): for the latest epoch, the log end offset; for an older one, the
     * largest epoch at or below it and the start offset of the first epoch after it; for one older than every
     * epoch, itself and the start offset of the first epoch; for -1 or an epoch newer than the latest,
     * {@link EpochEndOffset#UNDEFINED}. A log never given an epoch has epoch 0 from its log start offset on.
     */
    public EpochEndOffset endOffsetForEpoch(int requestedEpoch) {
        return epochs.endOffsetFor(requestedEpoch, logStartOffset, logEnd.messageOffset());
    }

    /** Every offset below this is on disk (fsynced). */
    public long recoveryPoint() {
        return groupCommit.durableOffset();
    }

    /** Total size of the segment data files in bytes. */
    public long sizeInBytes() {
        return segments.sizeInBytes();
    }

    public int segmentCount() {
        return segments.count();
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Path dir() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    /**
     * Replaces the configuration. Takes effect from the next append, retention or flush check; index sizes and
     * {@code index.interval.bytes} apply to segments created from now on.
     */
    public void updateConfig(LogConfig newConfig) {
        this.config = Objects.requireNonNull(newConfig, "newConfig");
    }

    /**
     * Registers {@code listener} to be told whenever the high watermark rises (see {@link AppendListener} for when
     * it runs). Registering the same listener again has no effect.
     */
    public void addAppendListener(AppendListener listener) {
        highWatermarkListeners.addIfAbsent(Objects.requireNonNull(listener, "listener"));
    }

    public void removeAppendListener(AppendListener listener) {
        highWatermarkListeners.remove(listener);
    }

    /**
     * Registers {@code listener} to be told of every later append, of a leader or a follower (see
     * {@link LogEndListener}). Registering the same listener again has no effect.
     */
    public void addLogEndListener(LogEndListener listener) {
        logEndListeners.addIfAbsent(Objects.requireNonNull(listener, "listener"));
    }

    public void removeLogEndListener(LogEndListener listener) {
        logEndListeners.remove(listener);
    }

    /** After an append, with no lock held: the log end grew, and the high watermark rose if it is not -1. */
    private void notifyAppended(long logEndOffset, long raisedHighWatermark) {
        for (LogEndListener listener : logEndListeners) {
            try {
                listener.onLogEnd(topicPartition, logEndOffset);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Log end listener " + listener + " of partition " + topicPartition
                        + " failed", e);
            }
        }
        if (raisedHighWatermark >= 0)
            notifyHighWatermarkListeners(raisedHighWatermark);
    }

    private void notifyHighWatermarkListeners(long highWatermark) {
        for (AppendListener listener : highWatermarkListeners) {
            try {
                listener.onAppend(topicPartition, highWatermark);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "High watermark listener " + listener + " of partition " + topicPartition
                        + " failed", e);
            }
        }
    }

    /** Number of fsync rounds so far; with group commit, usually fewer than the number of durable appends. */
    public long fsyncCount() {
        return groupCommit.fsyncCount();
    }

    /** What recovery did when this log was opened. */
    public RecoveryInfo recoveryInfo() {
        return recoveryInfo;
    }

    /** Makes everything appended so far durable and checkpoints the recovery point and the high watermark. */
    public void flush() {
        ensureOpen();
        awaitDurable(logEnd.messageOffset());
        try {
            writeRecoveryCheckpoint();
            writeHighWatermarkCheckpoint();
        } catch (IOException e) {
            throw fail("writing the recovery point or high watermark checkpoint", e);
        }
    }

    /**
     * Flushes if data has been unflushed for {@code flush.ms} (measured from the last fsync). Called by
     * {@link LogManager#runMaintenance}.
     */
    public void flushIfDue(long nowMs) {
        LogConfig cfg = config;
        if (cfg.flushMs() == Long.MAX_VALUE || groupCommit.durableOffset() >= logEnd.messageOffset())
            return;
        if (nowMs - groupCommit.lastFlushMs() >= cfg.flushMs())
            flush();
    }

    /**
     * Deletes whole segments that the log start offset, {@code retention.ms} or {@code retention.bytes} no longer
     * keeps, oldest first (Kafka's rules): segments that hold only records below the log start offset (left by
     * {@link #advanceLogStartOffset}); by time, segments whose largest record timestamp is more than
     * {@code retention.ms} before {@code nowMs}; by size, the oldest segments as long as the log without them is
     * still at least {@code retention.bytes}. Only segments wholly below the high watermark go (as in Kafka), so
     * records not yet known to be replicated stay. The log start offset moves to the base offset of the first
     * remaining segment if it was below it.
     *
     * <p>The active segment is never deleted while it takes appends. When it is non-empty and itself due for
     * deletion, the log first rolls a new empty active segment and then deletes the old one, as Kafka does, so a
     * log whose data has all expired ends up empty with its log end offset unchanged.
     *
     * <p>Deleted segments disappear from reads at once; their files are renamed {@code .deleted} and removed after
     * {@code file.delete.delay.ms} (by a later call), so reads already under way complete.
     *
     * @return the number of segments deleted by this call
     */
    public int applyRetention(long nowMs) {
        writeLock.lock();
        try {
            ensureWritable();
            LogConfig cfg = config;
            long start = logStartOffset;
            int deleted = deleteOldestSegments(s -> nextOffsetAfter(s) <= start, "log start offset " + start,
                    nowMs, cfg);
            if (cfg.retentionMs() >= 0)
                deleted += deleteOldestSegments(s -> nowMs - s.largestTimestamp() > cfg.retentionMs(),
                        "retention.ms=" + cfg.retentionMs(), nowMs, cfg);
            if (cfg.retentionBytes() >= 0) {
                long[] excess = {segments.sizeInBytes() - cfg.retentionBytes()};
                deleted += deleteOldestSegments(s -> {
                    if (excess[0] - s.size() < 0)
                        return false;
                    excess[0] -= s.size();
                    return true;
                }, "retention.bytes=" + cfg.retentionBytes(), nowMs, cfg);
            }
            if (deleted > 0) {
                producerState.onLogStartOffsetIncremented(logStartOffset);
                if (epochs.truncateFromStart(logStartOffset))
                    epochs.write();
            }
            delayedDeletion.deleteDue(nowMs);
            return deleted;
        } catch (IOException e) {
            throw fail("applying retention", e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Forgets idempotent producers that have not appended for {@code expirationMs} (Kafka's
     * {@code producer.id.expiration.ms}); a later batch of theirs must start at sequence 0 again. Called by
     * {@link LogManager#runMaintenance}.
     *
     * @return how many producers were forgotten
     */
    public int removeExpiredProducers(long nowMs, long expirationMs) {
        writeLock.lock();
        try {
            int removed = producerState.removeExpiredProducers(nowMs, expirationMs);
            if (removed > 0)
                LOG.fine(() -> "Partition " + topicPartition + ": " + removed + " idempotent producer(s) expired");
            return removed;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Flushes, closes the files, checkpoints, snapshots the producer state and writes the clean-shutdown marker.
     * Idempotent.
     */
    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed)
                return;
            if (failure != null) {
                closed = true;
                closeHandlesQuietly();
                return; // no marker: the next open recovers
            }
            awaitDurable(logEnd.messageOffset());
            closed = true;
            delayedDeletion.deleteAll();
            for (LogSegment segment : segments.all())
                segment.close();
            long logEndOffset = logEnd.messageOffset();
            synchronized (checkpointLock) {
                OffsetCheckpointFile.RECOVERY_POINT.write(dir, logEndOffset);
                checkpointedRecoveryPoint = logEndOffset;
            }
            writeHighWatermarkCheckpoint();
            producerState.takeSnapshot(logEndOffset);
            new CleanShutdownMarker(logEndOffset, segments.last().size()).write(dir);
        } catch (IOException e) {
            closeHandlesQuietly();
            throw fail("closing the log", e);
        } finally {
            closed = true;
            writeLock.unlock();
        }
    }

    /** Closes the log and removes its directory with everything in it. */
    public void closeAndDelete() {
        writeLock.lock();
        try {
            closed = true;
            closeHandlesQuietly();
            LogFiles.deleteRecursively(dir);
            if (dir.getParent() != null)
                LogFiles.fsyncDirectory(dir.getParent());
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot delete the log of partition " + topicPartition + " in " + dir, e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "PartitionLog(" + topicPartition + ", logStartOffset=" + logStartOffset + ", logEndOffset="
                + logEndOffset() + ", segments=" + segmentCount() + ", dir=" + dir + ")";
    }

    // ---- writer internals (write lock held) ----

    private LogSegment maybeRoll(int appendBytes, long lastOffsetOfAppend, long nowMs, LogConfig cfg)
            throws IOException {
        LogSegment active = segments.last();
        if (active.size() > 0 && active.shouldRoll(appendBytes, lastOffsetOfAppend, nowMs, cfg))
            return roll();
        return active;
    }

    /**
     * Starts a new active segment at the log end offset. The old one is fsynced and its indexes trimmed first,
     * so every inactive segment is complete and durable. The producer state is snapshotted at the new base offset
     * after the recovery point is checkpointed, so a snapshot never reflects data beyond the recovery point.
     */
    private LogSegment roll() throws IOException {
        long newBaseOffset = logEnd.messageOffset();
        if (Files.exists(LogFiles.logFile(dir, newBaseOffset)))
            throw new IOException("Cannot roll partition " + topicPartition + ": segment file "
                    + LogFiles.logFile(dir, newBaseOffset) + " already exists");
        awaitDurable(newBaseOffset);
        segments.last().onBecomeInactiveSegment();
        LogSegment next = LogSegment.open(dir, newBaseOffset, config);
        segments.add(next);
        logEnd = new LogOffsetMetadata(newBaseOffset, newBaseOffset, 0);
        LogFiles.fsyncDirectory(dir);
        writeRecoveryCheckpoint();
        producerState.takeSnapshot(newBaseOffset);
        return next;
    }

    /** The offset after the segment's last record: the next segment's base offset, or the log end offset. */
    private long nextOffsetAfter(LogSegment segment) {
        LogSegment next = segments.higher(segment.baseOffset());
        return next != null ? next.baseOffset() : logEnd.messageOffset();
    }

    private int deleteOldestSegments(SegmentPredicate predicate, String reason, long nowMs, LogConfig cfg)
            throws IOException {
        List<LogSegment> deletable = new ArrayList<>();
        LogSegment active = segments.last();
        long hw = highWatermark();
        for (LogSegment segment : segments.all()) {
            if ((segment == active && segment.size() == 0) || nextOffsetAfter(segment) > hw || !predicate.test(segment))
                break;
            deletable.add(segment);
        }
        if (deletable.isEmpty())
            return 0;
        if (deletable.size() == segments.count())
            roll(); // the log keeps at least one segment: an empty new active one
        // Move the start first: a reader that still passes the range check then finds its segment (removal comes
        // after), and one that finds no segment re-checks the range and gets OffsetOutOfRangeException.
        logStartOffset = Math.max(logStartOffset,
                segments.higher(deletable.get(deletable.size() - 1).baseOffset()).baseOffset());
        for (LogSegment segment : deletable) {
            segments.remove(segment);
            delayedDeletion.schedule(segment, nowMs + cfg.fileDeleteDelayMs());
        }
        LogFiles.fsyncDirectory(dir);
        LOG.info(() -> "Partition " + topicPartition + ": deleted " + deletable.size() + " segment(s) by " + reason
                + "; log start offset is now " + logStartOffset);
        return deletable.size();
    }

    // ---- durability ----

    private void awaitDurable(long offset) {
        try {
            groupCommit.awaitDurable(offset);
        } catch (KafkaStorageException e) {
            failure = String.valueOf(e.getCause() != null ? e.getCause() : e);
            throw e;
        }
    }

    /** The {@link GroupCommit.Flusher}: fdatasync of every segment that may hold offsets in the range. */
    private void flushSegments(long fromOffset, long toOffset) throws IOException {
        for (LogSegment segment : segments.overlapping(fromOffset, toOffset))
            segment.flushData();
    }

    private void writeRecoveryCheckpoint() throws IOException {
        synchronized (checkpointLock) {
            long durable = groupCommit.durableOffset();
            if (durable == checkpointedRecoveryPoint)
                return;
            OffsetCheckpointFile.RECOVERY_POINT.write(dir, durable);
            checkpointedRecoveryPoint = durable;
        }
    }

    private void writeHighWatermarkCheckpoint() throws IOException {
        synchronized (checkpointLock) {
            long hw = highWatermark();
            if (hw == checkpointedHighWatermark)
                return;
            OffsetCheckpointFile.HIGH_WATERMARK.write(dir, hw);
            checkpointedHighWatermark = hw;
        }
    }

    // ---- state checks ----

    private void ensureOpen() {
        if (closed)
            throw new KafkaStorageException("The log of partition " + topicPartition + " is closed");
    }

    private void ensureWritable() {
        ensureOpen();
        String f = failure;
        if (f != null)
            throw new KafkaStorageException("The log of partition " + topicPartition + " is offline after an I/O"
                    + " error (" + f + "); reopen it to recover");
    }

    private KafkaStorageException fail(String action, IOException e) {
        failure = e.toString();
        LOG.severe(() -> "Partition " + topicPartition + ": I/O error while " + action + "; the log is offline: " + e);
        return new KafkaStorageException("I/O error while " + action + " of partition " + topicPartition + ": " + e, e);
    }

    private void closeHandlesQuietly() {
        for (LogSegment segment : segments.all())
            segment.closeHandles();
        delayedDeletion.closeAll();
    }
}
