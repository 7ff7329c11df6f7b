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
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The log of one topic partition (Kafka's {@code UnifiedLog}): an append-only sequence of RecordBatch v2 batches
 * with increasing offsets, kept as segments in one directory by a {@link LocalLog}. This class gives the offsets
 * their meaning: it validates appends and assigns their offsets, and keeps the log start offset, the
 * {@link HighWatermark}, the leader-epoch history and the idempotent producers' state, and decides which segments
 * retention deletes.
 *
 * <p><b>Invariants.</b> Offsets increase from {@link #logStartOffset()} to {@link #logEndOffset()} - 1, without gaps
 * unless the log is compacted: the {@link LogCleaner} removes records but never changes an offset, and a follower
 * keeps the gaps of its leader's batches.
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
 * {@link #removeExpiredProducers}, {@link #close}, {@link #closeAndDelete} and the {@link LogCleaner}'s swap of a
 * compacted segment ({@code replaceSegments}) serialize on the write lock, which guards every change of the
 * {@link LocalLog}, the log start offset, the producer state and the epoch history. The classes that carry out the
 * truncations ({@link LogTruncation}) and the deletions from the start ({@link LogRetention}) take this same lock;
 * {@link PartitionProducers} is only called with it held. Readers ({@link #read} through {@link LogReads},
 * {@link #offsetForTimestamp}, {@link #endOffsetForEpoch} and the accessors) never take it and never wait for a
 * writer: every read is bounded by the log end the {@link LocalLog} publishes once a batch is completely written, so
 * a reader sees whole appended batches only. fsyncs happen outside the write lock, so
 * appenders keep writing while one runs. The {@link HighWatermark} has its own small lock, taken after the write
 * lock, so the replication layer can raise it without waiting for an append.
 *
 * <p><b>Producers and transactions</b> ({@link PartitionProducers}). {@link #append} answers a retried batch of an
 * idempotent producer with its original offsets instead of appending it again, also after a restart or a crash (the
 * producer state is snapshotted at every roll and on close, and rebuilt on open). A transactional batch opens its
 * producer's transaction on this partition and a marker ({@link #appendTransactionMarker}, or replicated) ends it;
 * the {@link #lastStableOffset()} is where a {@link FetchIsolation#TXN_COMMITTED} read stops, naming the aborted
 * transactions among its records; the {@link LogCleaner} cleans only below it.
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
 * exceptions and the lock it takes written on it (that Javadoc is about a third of the file), and the append path.
 * The mechanics live in the classes it composes — {@link LocalLog} (the files), {@link RecoveryPoint} (fsync),
 * {@link HighWatermark}, {@link LogReads}, {@link LogTruncation}, {@link LogRetention}, {@link PartitionProducers}
 * (producer state, transactions, the last stable offset), {@link LeaderEpochHistory}, {@link LogDamage} — and a new
 * concern belongs in a class of its own beside them, not here.
 */
public final class PartitionLog implements Closeable {
    private static final Logger LOG = Logger.getLogger(PartitionLog.class.getName());

    private final TopicPartition topicPartition;
    private final Clock clock;
    private final LocalLog local;
    private final HighWatermark highWatermark;
    private final RecoveryInfo recoveryInfo;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Changed under the write lock. */
    private final PartitionProducers producers;
    /** Mutated under the write lock. */
    private final LeaderEpochHistory epochs;
    private final LogEndListeners logEndListeners = new LogEndListeners();
    private final TopicTraffic traffic;
    private final LogTruncation truncation;
    private final LogRetention retention;
    private final LogReads reads;
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
        ProducerStateManager producerState = loaded.producerState();
        this.epochs = loaded.epochs();
        this.logStartOffset = loaded.logStartOffset();
        this.local = new LocalLog(dir, topicPartition, config, clock, loaded, producerState::takeSnapshot,
                flushListener, metrics.flushTimes());
        this.highWatermark = new HighWatermark(local, logStartOffset, loaded.highWatermark(),
                highWatermarkFollowsLogEnd);
        this.damage = new LogDamage(topicPartition, local, writeLock, metrics.logIntegrity(), clock);
        this.producers = new PartitionProducers(producerState, local, highWatermark);
        this.truncation = new LogTruncation(topicPartition, clock, local, writeLock, highWatermark, epochs, producers,
                damage, () -> logStartOffset, offset -> logStartOffset = offset);
        this.reads = new LogReads(topicPartition, local, highWatermark, producers, damage, () -> logStartOffset);
        this.retention = new LogRetention(topicPartition, local, writeLock, highWatermark, epochs, producers,
                () -> logStartOffset, offset -> logStartOffset = offset);
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
     * @throws InvalidTxnStateException     a non-transactional batch of a producer whose transaction is open
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
        LogAppendInfo info = appendUnderLock("appending to the log", () -> {
            damage.ensureIntact();
            Optional<LogAppendInfo> duplicate =
                    producer == null ? Optional.empty() : producers.findDuplicate(producer);
            return duplicate.isPresent() ? duplicate.get() : appendLocked(records, validated, producer != null, cfg);
        });
        if (!info.duplicate())
            traffic.appended(info.recordCount(), info.validBytes());
        return info;
    }

    /**
     * Appends batches replicated from the leader, as they are: their offsets, timestamps and partition leader
     * epochs were assigned by the leader and are kept. They are validated as {@link #append} validates them, and
     * must continue this log: the first starts at or after the log end offset and each after the previous one (a
     * compacted leader's batches leave gaps, which this log keeps; they may also hold fewer records than offsets,
     * or none).
     *
     * <p>Idempotent producers' state is updated from the batches without any duplicate or sequence check (the
     * leader decided), so this replica answers retries correctly once it leads. A batch with an epoch newer than the
     * latest starts that epoch in the history (written before the batch). Rolling and {@code flush.messages} work
     * as for {@link #append}; {@link LogEndListener}s are told. The high watermark is not touched unless it follows
     * the log end: a follower's comes from the leader through {@link #updateHighWatermark}.
     *
     * @throws UnexpectedAppendOffsetException a batch starts below the log end offset or the previous batch's end;
     *                                         which offsets is in the message
     * @throws InvalidRecordException          empty request, a batch that is not v2 or has no records
     * @throws CorruptRecordException          a batch fails its CRC or the request ends in a partial batch
     * @throws RecordTooLargeException         a batch is larger than {@code max.message.bytes}
     * @throws RecordBatchTooLargeException    the request is larger than {@code segment.bytes}
     * @throws KafkaStorageException           the log is closed or offline, or an I/O error took it offline now
     */
    public LogAppendInfo appendAsFollower(MemoryRecords records) {
        LogConfig cfg = local.config();
        LogValidator.ValidatedRecords validated = LogValidator.validateReplicated(topicPartition, records, cfg);
        LogAppendInfo info = appendUnderLock("appending replicated records to the log", () -> {
            damage.ensureIntact();
            LogValidator.AssignedOffsets offsets =
                    LogValidator.checkReplicatedOffsets(topicPartition, records, local.logEndOffset());
            long now = clock.millis();
            epochs.recordNewerEpochsOf(records, logStartOffset, local.logEndOffset());
            local.append(records, validated.sizeInBytes(), offsets.lastOffset(), now);
            producers.recordAppended(records, now);
            return new LogAppendInfo(offsets.firstOffset(), offsets.lastOffset(), offsets.maxTimestamp(),
                    LogValidator.logAppendTimeOf(records), validated.recordCount(), validated.sizeInBytes(), false);
        });
        awaitFlushPolicy(info);
        return info;
    }

    /**
     * Appends a transaction marker for {@code producerId} as the partition's leader, on behalf of the transaction
     * coordinator (Kafka's WriteTxnMarkers append): a control batch of one COMMIT or ABORT record with the
     * producer's id and {@code epoch} and the coordinator's epoch, at the log end offset, stamped with the latest
     * leader epoch. It ends the producer's open transaction on this partition if it has one (an abort is entered in
     * the transaction index); a marker for a producer without one is written all the same, as Kafka does, and
     * fences older epochs of the producer.
     *
     * <p>Returns, like {@link #appendUnflushed}, before the fsync that {@code flush.messages} may demand: the
     * coordinator must wait for it ({@link #awaitFlushPolicy}) and for the in-sync replicas before it counts the
     * marker as written.
     *
     * @param type {@link ControlRecordType#COMMIT} or {@link ControlRecordType#ABORT}
     * @throws InvalidProducerEpochException                                  {@code epoch} is older than the
     *                                                                        producer's
     * @throws org.apache.kafka.common.errors.TransactionCoordinatorFencedException {@code coordinatorEpoch} is older
     *                                                                        than that of the last marker
     * @throws KafkaStorageException                                          the log is closed or offline
     */
    public LogAppendInfo appendTransactionMarker(long producerId, short epoch, int coordinatorEpoch,
                                                 ControlRecordType type) {
        if (type != ControlRecordType.COMMIT && type != ControlRecordType.ABORT)
            throw new IllegalArgumentException("A transaction marker commits or aborts, not " + type);
        return appendUnderLock("appending a transaction marker to the log", () -> {
            producers.checkMarker(producerId, epoch, coordinatorEpoch);
            long now = clock.millis();
            long offset = local.logEndOffset();
            MemoryRecords marker = MemoryRecords.withEndTransactionMarker(offset, now, epochs.latestEpoch(),
                    producerId, epoch, new EndTransactionMarker(type, coordinatorEpoch));
            local.append(marker, marker.sizeInBytes(), offset, now);
            producers.recordAppended(marker, now);
            return new LogAppendInfo(offset, offset, now, -1L, 1, marker.sizeInBytes(), false);
        });
    }

    /** One of the appends, as it writes under the write lock: returns what it appended, or the retry it found. */
    @FunctionalInterface
    private interface LockedAppend {
        LogAppendInfo append() throws IOException;
    }

    /**
     * Runs {@code append} under the write lock on a writable log and raises a high watermark that follows the log
     * end; after the lock, tells the listeners of what was appended (not of a retry). An I/O error takes the log
     * offline, {@code what} saying while doing what.
     */
    private LogAppendInfo appendUnderLock(String what, LockedAppend append) {
        LogAppendInfo info;
        long raisedHighWatermark = -1;
        writeLock.lock();
        try {
            local.ensureWritable();
            info = append.append();
            if (!info.duplicate() && highWatermark.followsLogEnd())
                raisedHighWatermark = highWatermark.raise(info.lastOffset() + 1);
        } catch (IOException e) {
            throw local.fail(what, e);
        } finally {
            writeLock.unlock();
        }
        if (!info.duplicate())
            notifyAppended(info.lastOffset() + 1, raisedHighWatermark);
        return info;
    }

    /**
     * The offset below which every transaction is decided (Kafka's last stable offset): the first offset of the
     * earliest open transaction, or of a transaction whose marker is not below the high watermark yet; the high
     * watermark if there is none. Never above the high watermark, never below the log start offset. What
     * read_committed consumers read up to.
     */
    public long lastStableOffset() {
        return producers.lastStableOffset(highWatermark.offset(), logStartOffset);
    }

    /**
     * Whether {@code producerId} at {@code epoch} has a transaction open on this partition: its batches need no
     * further check with the transaction coordinator (KIP-890 verifies only the first batch of a transaction).
     */
    public boolean inTransaction(long producerId, short epoch) {
        return underWriteLock(() -> producers.inTransaction(producerId, epoch));
    }

    /** What this partition knows of each producer that appended to it, for DescribeProducers. */
    public List<ActiveProducer> activeProducers() {
        return underWriteLock(producers::activeProducers);
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
            producers.recordAppended(records, now);
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
     * <p>{@code isolation} bounds the slice: {@link FetchIsolation#TXN_COMMITTED} (read_committed consumers) at the
     * last stable offset, and the result names the aborted transactions among its records;
     * {@link FetchIsolation#HIGH_WATERMARK} (read_uncommitted consumers) at the last batch boundary at or below the
     * high watermark, leaving out a batch that straddles it; {@link FetchIsolation#LOG_END} (replica fetches) at the
     * log end. Reading at or beyond that bound, but not beyond the log end, returns no records.
     *
     * @throws OffsetOutOfRangeException if {@code startOffset} is below the log start offset or above the log end
     *                                   offset; the message gives the valid range
     * @throws KafkaStorageException     if the log is closed
     */
    public FetchDataInfo read(long startOffset, int maxBytes, FetchIsolation isolation) {
        return reads.read(startOffset, maxBytes, isolation, false);
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
        return readVerified(startOffset, maxBytes, FetchIsolation.HIGH_WATERMARK);
    }

    /** As {@link #readVerified(long, int)}, up to the bound {@code isolation} sets, as {@link #read} reads. */
    public FetchDataInfo readVerified(long startOffset, int maxBytes, FetchIsolation isolation) {
        return reads.readVerified(startOffset, maxBytes, isolation);
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
        return retention.advanceLogStartOffset(offset);
    }

    /**
     * Removes every record at and above {@code offset}: a follower's log that diverged from its leader's (Kafka's
     * {@code truncateTo}). Whole batches only: if {@code offset} falls inside a batch, the log is truncated to that
     * batch's base offset, below {@code offset}. Nothing happens if {@code offset} is at or beyond the log end.
     * Crash-safe: an interrupted truncation is simply incomplete (see {@link LogTruncation}).
     *
     * @return the log end offset afterwards
     * @throws KafkaStorageException if the log is closed or offline, or an I/O error took it offline now
     */
    public long truncateTo(long offset) {
        return truncation.truncateTo(offset);
    }

    /**
     * Deletes every record and starts the log empty at {@code newStart}, which becomes its log start offset, log end
     * offset and high watermark (Kafka's {@code truncateFullyAndStartAt}): for a follower so far behind that the
     * leader no longer has the records it needs next. The epoch history and the producer state start empty too.
     * Crash-safe: a retry completes an interrupted one.
     *
     * @throws KafkaStorageException if the log is closed or offline, or an I/O error took it offline now
     */
    public void truncateFullyAndStartAt(long newStart) {
        truncation.truncateFullyAndStartAt(newStart);
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
     * replicated partition is cut back before it fetches the removed records again from its leader. The log is cut
     * after the damaged segment's last good batch (see {@link LogTruncation#truncateToLastGood} for the cases), and
     * appends then continue at that offset.
     *
     * @return what was done; empty if the log carries no damage
     * @throws KafkaStorageException if the log is closed or offline, or an I/O error took it offline now
     */
    public Optional<LastGoodTruncation> truncateToLastGood() {
        return truncation.truncateToLastGood();
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
        logEndListeners.add(listener);
    }

    public void removeLogEndListener(LogEndListener listener) {
        logEndListeners.remove(listener);
    }

    /** After an append, with no lock held: the log end grew, and the high watermark rose if it is not -1. */
    private void notifyAppended(long logEndOffset, long raisedHighWatermark) {
        logEndListeners.tell(topicPartition, logEndOffset);
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
     * Writes the recovery-point checkpoint if the recovery point moved since the last one (Kafka checkpoints every
     * {@code log.flush.offset.checkpoint.interval.ms}): recovery after a crash validates only the data above it, so
     * this bounds that work to what was appended since. Called by {@link LogManager#runMaintenance}.
     */
    public void checkpointRecoveryPoint() {
        try {
            local.checkpointRecoveryPoint();
        } catch (IOException e) {
            throw local.fail("writing the recovery point checkpoint", e);
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
        return retention.applyRetention(nowMs);
    }

    /**
     * Forgets idempotent producers that have not appended for {@code expirationMs} (Kafka's
     * {@code producer.id.expiration.ms}); a later batch of theirs must start at sequence 0 again. Called by
     * {@link LogManager#runMaintenance}.
     *
     * @return how many producers were forgotten
     */
    public int removeExpiredProducers(long nowMs, long expirationMs) {
        int removed = underWriteLock(() -> producers.removeExpiredProducers(nowMs, expirationMs));
        if (removed > 0)
            LOG.fine(() -> "Partition " + topicPartition + ": " + removed + " idempotent producer(s) expired");
        return removed;
    }

    /** Reads or changes the producer state, which the write lock guards. */
    private <T> T underWriteLock(Supplier<T> producerStateAccess) {
        writeLock.lock();
        try {
            return producerStateAccess.get();
        } finally {
            writeLock.unlock();
        }
    }

    // ---- for the LogCleaner ----

    /** The segments, for the cleaner to read without the write lock (they are sealed; it changes nothing). */
    LocalLog local() {
        return local;
    }

    /**
     * The last offset of each idempotent producer's latest batch: the batches the cleaner keeps (empty if need be),
     * so that the producers' sequences survive compaction and a reload of the log (Kafka's
     * {@code lastRecordsOfActiveProducers}). Takes the write lock briefly.
     */
    Map<Long, Long> lastOffsetsOfProducers() {
        return underWriteLock(producers::lastOffsets);
    }

    /** Registers what is told of every truncation (the {@link LogManager}'s cleaner); replaces the previous one. */
    void setTruncationListener(TruncationListener listener) {
        truncation.setListener(listener);
    }

    /**
     * Puts the cleaner's compacted segment in the place of {@code old} ({@link LocalLog#replaceSegments}) under the
     * write lock, unless the cleaning was aborted or the segments changed since the cleaner read them.
     *
     * @param stillWanted runs under the write lock first and throws {@link CleaningAbortedException} if the cleaning
     *                    was aborted (a truncation aborts it under this lock, so none slips in between)
     * @throws CleaningAbortedException        aborted, or {@code old} is no longer a run of sealed segments of this
     *                                         log (retention deleted or a truncation cut some); nothing changed
     * @throws UncommittedReplacementException the replacement failed before its commit; the log is unchanged and
     *                                         online
     * @throws KafkaStorageException           the log is closed or offline, or the replacement failed after its
     *                                         commit, which takes it offline (the next open completes it)
     */
    void replaceSegments(LogSegment cleaned, List<LogSegment> old, Runnable stillWanted, CleaningSteps steps)
            throws UncommittedReplacementException {
        writeLock.lock();
        try {
            local.ensureWritable();
            stillWanted.run();
            if (!local.isSealedRun(old))
                throw new CleaningAbortedException("The segments of partition " + topicPartition + " that were"
                        + " cleaned changed meanwhile (retention or truncation)");
            local.replaceSegments(cleaned, old, steps);
        } catch (UncommittedReplacementException e) {
            throw e;
        } catch (IOException e) {
            throw local.fail("replacing segments with a compacted one", e);
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
                producers.takeSnapshot(logEndOffset);
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
