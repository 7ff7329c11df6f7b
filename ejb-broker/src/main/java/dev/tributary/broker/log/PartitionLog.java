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
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The log of one topic partition (Kafka's {@code UnifiedLog}): an append-only sequence of RecordBatch v2 batches
 * with contiguous offsets, kept as segments in one directory by a {@link LocalLog}. This class gives the offsets
 * their meaning: it validates appends and assigns their offsets, and keeps the log start offset, the
 * {@link HighWatermark}, the leader-epoch history and the idempotent producers' state, and decides which segments
 * retention deletes.
 *
 * <p><b>Invariants.</b> Offsets are contiguous from {@link #logStartOffset()} to {@link #logEndOffset()} - 1.
 * The log start offset only moves forward (except when a truncation below it starts the log over) and never passes
 * the log end offset; segments may still hold records below it until retention removes them. Every offset below
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
 * {@link #assignLeaderEpoch}, {@link #advanceLogStartOffset}, {@link #applyRetention},
 * {@link #removeExpiredProducers}, {@link #close} and {@link #closeAndDelete} serialize on the write lock, which
 * guards every change of the {@link LocalLog}, the log start offset, the producer state and the epoch history.
 * Readers ({@link #read}, {@link #offsetForTimestamp}, {@link #endOffsetForEpoch} and the accessors) never take it
 * and never wait for a writer: every read is bounded by the log end the {@link LocalLog} publishes once a batch is
 * completely written, so a reader sees whole appended batches only. fsyncs happen outside the write lock, so
 * appenders keep writing while one runs. The {@link HighWatermark} has its own small lock, taken after the write
 * lock, so the replication layer can raise it without waiting for an append.
 *
 * <p><b>Idempotent producers.</b> The log keeps the state of the idempotent producers that appended to it
 * ({@link ProducerStateManager}): {@link #append} answers a retried batch with its original offsets instead of
 * appending it again, also after a restart or a crash, because the state is snapshotted with the log (at every roll
 * and on close) and rebuilt from it on open. Checks and updates of that state happen under the write lock, with the
 * append they belong to.
 *
 * <p><b>Failure.</b> An I/O error while appending or fsyncing takes the log offline: further appends throw
 * {@link KafkaStorageException}; close it and open it again to recover.
 *
 * <p><b>Corruption.</b> Data that went bad after it was written (a bit flip on disk) is found by a read that
 * decodes records ({@link #readVerified}) or by the {@link LogScrubber}: the log then carries the damage
 * ({@link #corruption()}, kept by {@link LogDamage}) and refuses every read and append with
 * {@link LogCorruptionException} until {@link #truncateToLastGood()} removes it.
 *
 * <p><b>Size.</b> This class is the partition's one public face: some forty operations, each with its contract, its
 * exceptions and the lock it takes written on it (that Javadoc is about a third of the file). The mechanics live in
 * the classes it composes — {@link LocalLog} (the files), {@link RecoveryPoint} (fsync), {@link HighWatermark},
 * {@link RetentionPolicy}, {@link ProducerStateManager}, {@link LeaderEpochHistory}, {@link LogDamage} — and a new
 * concern (cleaning, transactions) belongs in a class of its own beside them, not here.
 */
public final class PartitionLog implements Closeable {
    private static final Logger LOG = Logger.getLogger(PartitionLog.class.getName());

    private final TopicPartition topicPartition;
    private final Clock clock;
    private final LocalLog local;
    private final HighWatermark highWatermark;
    private final RecoveryInfo recoveryInfo;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Guarded by the write lock. */
    private final ProducerStateManager producerState;
    /** Mutated under the write lock. */
    private final LeaderEpochHistory epochs;
    private final CopyOnWriteArrayList<LogEndListener> logEndListeners = new CopyOnWriteArrayList<>();
    private final TopicTraffic traffic;
    private final LogDamage damage;
    /** Changed under the write lock. */
    private volatile long logStartOffset;

    private PartitionLog(Path dir, TopicPartition topicPartition, LogConfig config, Clock clock,
                         LogLoader.LoadedLog loaded, FlushListener flushListener, BrokerMetrics metrics,
                         boolean highWatermarkFollowsLogEnd) {
        this.traffic = metrics.topic(topicPartition.topic());
        this.topicPartition = topicPartition;
        this.clock = clock;
        this.recoveryInfo = loaded.info();
        this.producerState = loaded.producerState();
        this.epochs = loaded.epochs();
        this.logStartOffset = loaded.logStartOffset();
        this.local = new LocalLog(dir, topicPartition, config, clock, loaded, producerState::takeSnapshot,
                flushListener, metrics.flushTimes());
        this.highWatermark = new HighWatermark(local, logStartOffset, loaded.highWatermark(),
                highWatermarkFollowsLogEnd);
        this.damage = new LogDamage(topicPartition, local, writeLock, metrics.logIntegrity(), clock);
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
        LogConfig cfg = local.config();
        LogValidator.ValidatedRecords validated = LogValidator.validate(topicPartition, records, cfg);
        ProducerAppend producer = ProducerAppend.of(topicPartition, records);
        LogAppendInfo info;
        long raisedHighWatermark = -1;
        writeLock.lock();
        try {
            local.ensureWritable();
            damage.ensureIntact();
            Optional<LogAppendInfo> duplicate =
                    producer == null ? Optional.empty() : producerState.findDuplicate(producer);
            info = duplicate.isPresent() ? duplicate.get() : appendLocked(records, validated, producer != null, cfg);
            if (!info.duplicate() && highWatermark.followsLogEnd())
                raisedHighWatermark = highWatermark.raise(info.lastOffset() + 1);
        } catch (IOException e) {
            throw local.fail("appending to the log", e);
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
        LogConfig cfg = local.config();
        LogValidator.ValidatedRecords validated = LogValidator.validateReplicated(topicPartition, records, cfg);
        LogAppendInfo info;
        long raisedHighWatermark = -1;
        writeLock.lock();
        try {
            local.ensureWritable();
            damage.ensureIntact();
            LogValidator.AssignedOffsets offsets =
                    LogValidator.checkReplicatedOffsets(topicPartition, records, local.logEndOffset());
            long now = clock.millis();
            recordEpochsOf(records);
            local.append(records, validated.sizeInBytes(), offsets.lastOffset(), now);
            producerState.update(records, now);
            info = new LogAppendInfo(offsets.firstOffset(), offsets.lastOffset(), offsets.maxTimestamp(),
                    logAppendTimeOf(records), validated.recordCount(), validated.sizeInBytes(), false);
            if (highWatermark.followsLogEnd())
                raisedHighWatermark = highWatermark.raise(info.lastOffset() + 1);
        } catch (IOException e) {
            throw local.fail("appending replicated records to the log", e);
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
                changed |= epochs.assign(epoch, batch.baseOffset(), logStartOffset, local.logEndOffset());
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
        local.awaitFlushPolicy(appended.lastOffset() + 1);
    }

    /** Writes an append that is not a retry and records it in its producer's state. Write lock held. */
    private LogAppendInfo appendLocked(MemoryRecords records, LogValidator.ValidatedRecords validated,
                                       boolean idempotent, LogConfig cfg) throws IOException {
        long now = clock.millis();
        long firstOffset = local.logEndOffset();
        LogValidator.AssignedOffsets assigned = LogValidator.assignOffsets(records, firstOffset, epochs.latestEpoch(),
                cfg.messageTimestampType(), now);
        local.append(records, validated.sizeInBytes(), assigned.lastOffset(), now);
        if (idempotent)
            producerState.update(records, now);
        long logAppendTime = cfg.messageTimestampType() == TimestampType.LOG_APPEND_TIME ? now : -1L;
        return new LogAppendInfo(firstOffset, assigned.lastOffset(), assigned.maxTimestamp(), logAppendTime,
                validated.recordCount(), validated.sizeInBytes(), false);
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
        return read(startOffset, maxBytes, isolation, false);
    }

    /**
     * Reads what consumers may see, as {@link #read(long, int)}, for a caller that decodes the records rather than
     * passing the bytes on (REST reads, in-VM consumers): the data is copied into memory and every batch checked —
     * framing, magic, CRC, offsets — before it is returned, so no such caller ever gets bytes that went bad on disk.
     * The records are complete batches only. Kafka-protocol fetches do not come here: they send the file's bytes as
     * they are and the clients check the CRCs, as with Kafka.
     *
     * <p>A batch that fails takes the log out of service: it carries the damage from then on ({@link #corruption()},
     * logged once, the {@link CorruptionListener} told) and this and every later read throws.
     *
     * @throws LogCorruptionException    if a batch fails its check, or the log is known to hold corrupt data; the
     *                                   message names the partition and the first offset that cannot be served
     * @throws OffsetOutOfRangeException as {@link #read(long, int)}
     * @throws KafkaStorageException     if the log is closed or its files cannot be read
     */
    public FetchDataInfo readVerified(long startOffset, int maxBytes) {
        for (int attempt = 1; ; attempt++) {
            long truncations = local.truncations();
            try {
                return read(startOffset, maxBytes, FetchIsolation.HIGH_WATERMARK, true);
            } catch (DamagedBatchException e) {
                CorruptBatch found = damage.found(e.segment(), e.damage(), e.offset(), "a read that decodes records");
                if (damage.recordIfUnchanged(e.segment(), truncations, found))
                    throw new LogCorruptionException(damage.known().orElse(found));
                if (attempt == 2) // truncated under both reads: the bytes read were being rewritten
                    throw new KafkaStorageException("Partition " + topicPartition + " was truncated while offset "
                            + startOffset + " was read; try again");
            }
        }
    }

    private FetchDataInfo read(long startOffset, int maxBytes, FetchIsolation isolation, boolean verified) {
        if (maxBytes < 0)
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        local.ensureOpen();
        damage.ensureIntact();
        LogOffsetMetadata end = local.logEnd();
        if (startOffset == end.messageOffset())
            return FetchDataInfo.empty(startOffset);
        checkInRange(startOffset, end);
        LogOffsetMetadata bound = isolation == FetchIsolation.LOG_END ? end : highWatermark.resolved(end);
        if (startOffset >= bound.messageOffset())
            return FetchDataInfo.empty(startOffset);
        Optional<FetchDataInfo> found = verified ? local.readVerified(startOffset, maxBytes, bound)
                : local.read(startOffset, maxBytes, bound);
        if (found.isPresent())
            return found.get();
        // Retention removed the segment while we looked for it: the log start offset has already moved past it.
        checkInRange(startOffset, local.logEnd());
        if (bound.messageOffset() < end.messageOffset())
            return FetchDataInfo.empty(startOffset); // the batch holding startOffset straddles the high watermark
        throw new IllegalStateException("No batch holds offset " + startOffset + " of partition " + topicPartition
                + " although it is below the log end offset " + end.messageOffset());
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
        local.ensureOpen();
        return local.offsetForTimestamp(timestamp, logStartOffset);
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
            local.ensureWritable();
            long hw = highWatermark.offset();
            if (offset < 0 || offset > hw)
                throw new OffsetOutOfRangeException("Cannot delete the records of partition " + topicPartition
                        + " below offset " + offset + ": it must be between 0 and the high watermark " + hw);
            if (offset <= logStartOffset)
                return logStartOffset;
            local.awaitDurable(offset);
            OffsetCheckpointFile.LOG_START_OFFSET.write(local.dir(), offset);
            logStartOffset = offset;
            producerState.onLogStartOffsetIncremented(offset);
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

    /**
     * Removes every record at and above {@code offset}: a follower's log that diverged from its leader's (Kafka's
     * {@code truncateTo}). Whole batches only: if {@code offset} falls inside a batch, the log is truncated to that
     * batch's base offset, below {@code offset}. Nothing happens if {@code offset} is at or beyond the log end.
     *
     * <p>The segments are cut as {@link LocalLog#truncateTo} describes, crash-safely; the high watermark drops to the
     * cut with the log end if it was above; the epoch history loses the epochs starting at or after the cut, written
     * after the segments are cut, so the checkpoint never lacks an epoch the files hold; the producer state is
     * rebuilt from the last snapshot below the cut and the batches after it. If nothing at or above the log start
     * offset would remain, this is {@link #truncateFullyAndStartAt truncateFullyAndStartAt}(the cut). A truncation
     * interrupted by a crash is simply incomplete.
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
            local.ensureWritable();
            long end = local.logEndOffset();
            if (offset >= end)
                return end;
            long cut = local.batchBoundaryAtOrBelow(offset);
            if (cut < logStartOffset) {
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
            local.ensureWritable();
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
            logStartOffset = newStart;
        });
        highWatermark.checkpoint();
        if (epochs.clear())
            epochs.write();
        producerState.truncateFully();
        return newStart > oldHighWatermark ? newStart : -1;
    }

    /**
     * The {@link LocalLog.TruncatedEnd} of a truncation: the high watermark, and the log start offset if a full
     * truncation goes below it, drop to the new log end with it.
     */
    private void publishTruncatedEnd(LogOffsetMetadata end, Runnable setEnd) throws IOException {
        highWatermark.lowerWithLogEnd(end, () -> {
            setEnd.run();
            if (logStartOffset > end.messageOffset())
                logStartOffset = end.messageOffset();
        });
    }

    /** The segments were cut at {@code cut}: the epoch history and the producer state follow. Write lock held. */
    private void afterCut(long cut) throws IOException {
        if (epochs.truncateFromEnd(cut))
            epochs.write();
        reloadProducerState(cut);
    }

    /**
     * Rebuilds the producer state for a log that now ends at {@code logEndOffset}: from the newest snapshot at or
     * below it and the batches after it. Write lock held.
     */
    private void reloadProducerState(long logEndOffset) throws IOException {
        producerState.deleteSnapshotsAbove(logEndOffset);
        long from = producerState.loadLatestSnapshot(logEndOffset).orElse(0);
        long now = clock.millis();
        local.forEachBatch(from, logEndOffset, (batch, position) -> producerState.replay(batch, now));
        producerState.onLogStartOffsetIncremented(logStartOffset);
    }

    // ---- corruption ----

    /** The corrupt batch this log was found to hold, if any; while there is one, reads and appends throw. */
    public Optional<CorruptBatch> corruption() {
        return damage.known();
    }

    /** Who is told when the log is found to hold a corrupt batch; replaces the previous listener. */
    public void setCorruptionListener(CorruptionListener listener) {
        damage.setListener(listener);
    }

    /** Where the checks of the log's data report and confirm what they found. */
    LogDamage damage() {
        return damage;
    }

    /** The sealed segments, oldest first, as of this call: what the {@link LogScrubber} checks. */
    List<LogSegment> sealedSegments() {
        return local.sealedSegments();
    }

    /** See {@link LocalLog#truncations()}: read before reading segment bytes without the write lock. */
    long truncations() {
        return local.truncations();
    }

    /**
     * Removes the corrupt batch the log carries, with everything after it, and puts the log back in service: the
     * operator's way out for a partition that has no other replica to repair it from, and how a replica of a
     * replicated partition is cut back before it fetches the removed records again from its leader.
     *
     * <p>The damaged segment is checked again from its start, under the write lock, to find the last good batch;
     * the log is cut right after it, at that position (the damaged batch's header cannot be trusted to lead
     * anywhere), crash-safely as {@link #truncateTo} cuts. Appends then continue at that offset: the offsets dropped
     * will be given to new records. If the damage lies below the log start offset, the log is emptied and starts at
     * its log start offset again, so no offset below it comes back. If the segment is gone (retention removed it)
     * or now reads back intact (the damage was in memory, or an index misled the read that reported it), nothing
     * is cut; an intact segment gets its indexes rebuilt.
     *
     * @return what was done; empty if the log carries no damage
     * @throws KafkaStorageException if the log is closed or offline, or an I/O error took it offline now
     */
    public Optional<LastGoodTruncation> truncateToLastGood() {
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
                long start = logStartOffset;
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

    /** The offset the next appended record will get; every offset below it is fully appended. */
    public long logEndOffset() {
        return local.logEndOffset();
    }

    /**
     * The offset below which records are visible to consumers: the log end offset while the high watermark follows
     * it (the default), otherwise what the replication layer last set, the offset replicated to all in-sync
     * replicas. Between the log start offset and the log end offset.
     */
    public long highWatermark() {
        return highWatermark.offset();
    }

    /**
     * Whether every append raises the high watermark to the new log end offset: true (the default) for a partition
     * with one replica; false for a replica of a replicated partition, whose high watermark the replication layer
     * sets with {@link #updateHighWatermark}. Turning it on raises the high watermark to the log end at once (telling
     * the {@link AppendListener}s); turning it off keeps the high watermark where it is.
     */
    public void setHighWatermarkFollowsLogEnd(boolean follows) {
        highWatermark.setFollowsLogEnd(follows);
    }

    /**
     * Raises the high watermark to {@code offset}, or to the log end offset if that is lower; never lowers it. Tells
     * the {@link AppendListener}s if it rose. Safe to call from any thread; does not wait for appends.
     *
     * @return whether the high watermark rose
     * @throws KafkaStorageException if the log is closed
     */
    public boolean updateHighWatermark(long offset) {
        local.ensureOpen();
        return highWatermark.raiseAndNotify(offset);
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
            local.ensureWritable();
            if (epoch <= epochs.latestEpoch())
                return;
            long end = local.logEndOffset();
            if (epochs.assign(epoch, end, logStartOffset, end))
                epochs.write();
            LOG.fine(() -> "Partition " + topicPartition + ": leader epoch " + epoch + " starts at offset " + end);
        } catch (IOException e) {
            throw local.fail("writing the leader epoch checkpoint", e);
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
        return epochs.endOffsetFor(requestedEpoch, logStartOffset, local.logEndOffset());
    }

    /** Every offset below this is on disk (fsynced). */
    public long recoveryPoint() {
        return local.recoveryPoint();
    }

    /** Total size of the segment data files in bytes. */
    public long sizeInBytes() {
        return local.sizeInBytes();
    }

    public int segmentCount() {
        return local.segmentCount();
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Path dir() {
        return local.dir();
    }

    public LogConfig config() {
        return local.config();
    }

    /**
     * Replaces the configuration. Takes effect from the next append, retention or flush check; index sizes and
     * {@code index.interval.bytes} apply to segments created from now on.
     */
    public void updateConfig(LogConfig newConfig) {
        local.updateConfig(newConfig);
    }

    /**
     * Registers {@code listener} to be told whenever the high watermark rises (see {@link AppendListener} for when
     * it runs). Registering the same listener again has no effect.
     */
    public void addAppendListener(AppendListener listener) {
        highWatermark.addListener(listener);
    }

    public void removeAppendListener(AppendListener listener) {
        highWatermark.removeListener(listener);
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
            highWatermark.notifyListeners(raisedHighWatermark);
    }

    /** Number of fsync rounds so far; with group commit, usually fewer than the number of durable appends. */
    public long fsyncCount() {
        return local.fsyncCount();
    }

    /** What recovery did when this log was opened. */
    public RecoveryInfo recoveryInfo() {
        return recoveryInfo;
    }

    /** Makes everything appended so far durable and checkpoints the recovery point and the high watermark. */
    public void flush() {
        try {
            local.flush();
            highWatermark.checkpoint();
        } catch (IOException e) {
            throw local.fail("writing the recovery point or high watermark checkpoint", e);
        }
    }

    /**
     * Flushes if data has been unflushed for {@code flush.ms} (measured from the last fsync). Called by
     * {@link LogManager#runMaintenance}.
     */
    public void flushIfDue(long nowMs) {
        if (local.flushDue(nowMs))
            flush();
    }

    /**
     * Deletes the whole segments that the log start offset, {@code retention.ms} and {@code retention.bytes} no
     * longer keep, oldest first, by Kafka's rules ({@link RetentionPolicy}); only segments wholly below the high
     * watermark. The log start offset moves to the base offset of the first remaining segment if it was below it.
     * A non-empty active segment that is due is rolled first, as Kafka does, so a log whose data has all expired
     * ends up empty with its log end offset unchanged.
     *
     * <p>Deleted segments disappear from reads at once; their files are renamed {@code .deleted} and removed after
     * {@code file.delete.delay.ms} (by a later call), so reads already under way complete.
     *
     * @return the number of segments deleted by this call
     */
    public int applyRetention(long nowMs) {
        writeLock.lock();
        try {
            local.ensureWritable();
            int deleted = 0;
            for (RetentionPolicy.Expired expired : RetentionPolicy.expired(local, logStartOffset,
                    highWatermark.offset(), local.config(), nowMs))
                deleted += delete(expired, nowMs);
            if (deleted > 0) {
                producerState.onLogStartOffsetIncremented(logStartOffset);
                if (epochs.truncateFromStart(logStartOffset))
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
        logStartOffset = Math.max(logStartOffset, local.nextOffsetAfter(segments.get(segments.size() - 1)));
        local.deleteOldestSegments(segments, nowMs);
        LOG.info(() -> "Partition " + topicPartition + ": deleted " + segments.size() + " segment(s) by "
                + expired.rule() + "; log start offset is now " + logStartOffset);
        return segments.size();
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
     * Flushes, closes the files, checkpoints the recovery point and the high watermark, snapshots the producer state
     * and writes the clean-shutdown marker, last. An offline log is closed without any of that, so that the next
     * open recovers it. Idempotent.
     */
    @Override
    public void close() {
        writeLock.lock();
        try {
            local.close(logEndOffset -> {
                highWatermark.checkpoint();
                producerState.takeSnapshot(logEndOffset);
            });
        } finally {
            writeLock.unlock();
        }
    }

    /** Closes the log and removes its directory with everything in it. */
    public void closeAndDelete() {
        writeLock.lock();
        try {
            local.closeAndDelete();
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "PartitionLog(" + topicPartition + ", logStartOffset=" + logStartOffset + ", logEndOffset="
                + logEndOffset() + ", segments=" + segmentCount() + ", dir=" + dir() + ")";
    }
}
