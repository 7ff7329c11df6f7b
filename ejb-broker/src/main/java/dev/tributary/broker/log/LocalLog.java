package dev.tributary.broker.log;

import dev.tributary.broker.metrics.LatencyHistogram;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.record.internal.MemoryRecords;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The segments of one partition directory and what is done to them (Kafka's {@code LocalLog}): rolling, writing
 * batches whose offsets are already assigned, reading up to a bound the caller gives, truncation, removing the
 * oldest segments, replacing sealed segments with a compacted one, fsync with group commit and the recovery point
 * with its checkpoint. What offsets mean to clients — the log start offset, the high watermark, leader epochs,
 * producers, which segments retention removes — is decided by {@link PartitionLog} above it.
 *
 * <p><b>Invariants.</b> There is always at least one segment. Segments are ordered by base offset and do not
 * overlap (compaction may leave gaps between their offsets); the last is the active one and the only one
 * appended to; every other is sealed (indexes trimmed, data fsynced). {@link #logEnd()} is where the next batch goes: every batch below it is completely written and indexed.
 * Every offset below {@link #recoveryPoint()} is on disk, and the recovery-point checkpoint never claims more.
 *
 * <p><b>Concurrency.</b> Not thread-safe for writers: the owner calls every method that changes the log —
 * {@link #append}, {@link #roll}, the truncations, {@link #deleteOldestSegments}, {@link #replaceSegments},
 * {@link #deleteDueSegmentFiles}, {@link #close} — one thread at a time, under its write lock. Readers
 * ({@link #read}, {@link #readVerified}, {@link #offsetMetadata}, {@link #offsetForTimestamp} and the accessors)
 * take no lock and never wait for a writer: the log end is published in a volatile field after a batch is
 * completely written and indexed, every read is bounded by it, and a segment removed while a reader uses it keeps
 * its files open for {@code file.delete.delay.ms}. fsyncs run outside the write lock ({@link #awaitDurable}; see
 * {@link RecoveryPoint} and {@link GroupCommit}), so appends continue while one runs.
 *
 * <p><b>Failure.</b> An I/O error while writing or fsyncing takes the log offline ({@link #fail}): every later
 * write throws {@link KafkaStorageException}; close it and open it again, and recovery repairs what the error
 * left. A full disk is not a failure: the append that does not fit is refused with {@link LogFullException} and
 * leaves the files as they were.
 *
 * <p><b>Size.</b> Every segment operation must keep the invariants above, and most of them interleave with the
 * lock-free readers in the same few ways; kept together, each can be checked against the others in one place (about
 * a quarter of the file is that Javadoc). Recovery of an interrupted segment swap lives in {@link SwapRecovery}, the
 * fsync bookkeeping in {@link RecoveryPoint}.
 */
final class LocalLog {
    private static final Logger LOG = Logger.getLogger(LocalLog.class.getName());

    /** The owner's part in a roll. */
    @FunctionalInterface
    interface RollListener {
        /**
         * Called by the writer once the new active segment exists, every offset below {@code newBaseOffset} is on
         * disk and the recovery point is checkpointed there, before anything is appended to the new segment.
         */
        void onRoll(long newBaseOffset) throws IOException;
    }

    /**
     * How a truncation publishes its new log end. It is called once, before any file shrinks, and must run
     * {@code setEnd}; the owner runs it under the lock that guards its high watermark and moves that with it, so no
     * reader sees a high watermark beyond the log end.
     */
    @FunctionalInterface
    interface TruncatedEnd {
        void publish(LogOffsetMetadata newEnd, Runnable setEnd) throws IOException;
    }

    /** What the owner checkpoints when the log closes cleanly, before the clean-shutdown marker vouches for it. */
    @FunctionalInterface
    interface FinalCheckpoints {
        void write(long logEndOffset) throws IOException;
    }

    private final Path dir;
    private final TopicPartition topicPartition;
    private final Clock clock;
    private final LogSegments segments;
    private final RecoveryPoint recoveryPoint;
    private final RollListener rollListener;
    /** Writer only. */
    private final DelayedSegmentDeletion delayedDeletion = new DelayedSegmentDeletion();

    private volatile LogConfig config;
    private volatile LogOffsetMetadata logEnd;
    private volatile boolean closed;
    private volatile String failure;
    /** How many truncations the log has had; changed by the writer only. */
    private volatile long truncations;

    /**
     * @param loaded     the segments and offsets {@link LogLoader} found; the log takes ownership of the segments
     * @param onRoll     told of every roll
     * @param flushTimes where the duration of every fsync round is recorded
     */
    LocalLog(Path dir, TopicPartition topicPartition, LogConfig config, Clock clock, LogLoader.LoadedLog loaded,
             RollListener onRoll, FlushListener flushListener, LatencyHistogram flushTimes) {
        this.dir = dir;
        this.topicPartition = topicPartition;
        this.config = Objects.requireNonNull(config, "config");
        this.clock = clock;
        this.segments = loaded.segments();
        this.rollListener = onRoll;
        LogSegment active = segments.last();
        this.logEnd = new LogOffsetMetadata(loaded.logEndOffset(), active.baseOffset(), active.size());
        this.recoveryPoint = new RecoveryPoint(dir, loaded.recoveryPoint(), () -> logEnd.messageOffset(),
                this::flushSegments, clock::millis, flushListener, flushTimes);
    }

    // ---- accessors (any thread) ----

    Path dir() {
        return dir;
    }

    TopicPartition topicPartition() {
        return topicPartition;
    }

    LogConfig config() {
        return config;
    }

    /** Takes effect from the next write; index sizes apply to segments created from now on. */
    void updateConfig(LogConfig newConfig) {
        this.config = Objects.requireNonNull(newConfig, "newConfig");
    }

    /** Where the next batch goes, with its place on disk. */
    LogOffsetMetadata logEnd() {
        return logEnd;
    }

    long logEndOffset() {
        return logEnd.messageOffset();
    }

    /** Every offset below this is on disk (fsynced). */
    long recoveryPoint() {
        return recoveryPoint.offset();
    }

    /** Number of fsync rounds so far. */
    long fsyncCount() {
        return recoveryPoint.fsyncCount();
    }

    long sizeInBytes() {
        return segments.sizeInBytes();
    }

    int segmentCount() {
        return segments.count();
    }

    /** All segments, oldest first: a weakly consistent live view. */
    Collection<LogSegment> segments() {
        return segments.all();
    }

    LogSegment firstSegment() {
        return segments.first();
    }

    LogSegment activeSegment() {
        return segments.last();
    }

    /** The sealed segments, oldest first: every one but the active one, as of this call. */
    List<LogSegment> sealedSegments() {
        List<LogSegment> all = new ArrayList<>(segments.all());
        return all.isEmpty() ? all : all.subList(0, all.size() - 1);
    }

    /** The segment starting at {@code baseOffset}, if the log has one. */
    Optional<LogSegment> segmentAt(long baseOffset) {
        LogSegment segment = segments.floor(baseOffset);
        return segment != null && segment.baseOffset() == baseOffset ? Optional.of(segment) : Optional.empty();
    }

    /** Whether {@code segment} is one of the log's segments (not removed or replaced since it was listed). */
    boolean holds(LogSegment segment) {
        return segments.floor(segment.baseOffset()) == segment;
    }

    /**
     * How many truncations the log has had. A truncation rewrites the tail of a segment in place (a later append
     * may fill the same bytes again), so whoever read segment bytes without the write lock trusts what they found
     * only if this did not change meanwhile; removing or replacing a whole segment keeps its files as they were.
     */
    long truncations() {
        return truncations;
    }

    /** The offset after the segment's last record: the next segment's base offset, or the log end offset. */
    long nextOffsetAfter(LogSegment segment) {
        LogSegment next = segments.higher(segment.baseOffset());
        return next != null ? next.baseOffset() : logEnd.messageOffset();
    }

    // ---- reads (any thread, no lock) ----

    /**
     * Reads from the batch holding {@code startOffset}: a zero-copy slice of one segment file of at most
     * {@code maxBytes}, but at least the whole first batch (Kafka's minOneMessage), that does not pass
     * {@code bound} (the caller's high watermark or log end, with its place on disk).
     *
     * @return empty if no batch at or after {@code startOffset} starts below the bound: the batch holding it
     *         straddles the bound, or retention removed its segment while this looked (the caller checks its range
     *         again)
     */
    Optional<FetchDataInfo> read(long startOffset, int maxBytes, LogOffsetMetadata bound) {
        return read(startOffset, maxBytes, bound, (segment, maxPosition) ->
                segment.read(startOffset, maxBytes, maxPosition, true));
    }

    /**
     * As {@link #read}, but copied into memory and checked batch by batch ({@link CheckedSegmentRead}), for a
     * caller that decodes the records.
     *
     * @throws DamagedBatchException if a batch fails its check
     */
    Optional<FetchDataInfo> readVerified(long startOffset, int maxBytes, LogOffsetMetadata bound) {
        return read(startOffset, maxBytes, bound, (segment, maxPosition) ->
                CheckedSegmentRead.read(segment, startOffset, maxBytes, maxPosition));
    }

    /** How one segment is read, up to {@code maxPosition}; null if it holds nothing to read there. */
    @FunctionalInterface
    private interface SegmentRead {
        FetchDataInfo read(LogSegment segment, int maxPosition);
    }

    private Optional<FetchDataInfo> read(long startOffset, int maxBytes, LogOffsetMetadata bound, SegmentRead how) {
        LogSegment segment = segments.floor(startOffset);
        while (segment != null && segment.baseOffset() <= bound.segmentBaseOffset()) {
            int maxPosition = segment.baseOffset() == bound.segmentBaseOffset() ? bound.positionInSegment()
                    : segment.size();
            FetchDataInfo info = how.read(segment, maxPosition);
            if (info != null)
                return Optional.of(info);
            segment = segments.higher(segment.baseOffset());
        }
        return Optional.empty();
    }

    /**
     * The aborted transactions that overlap the records of {@code read} (a {@link #read} from
     * {@code read.fetchOffset()} bounded by {@code bound}), for a read_committed consumer to drop (Kafka's
     * {@code addAbortedTransactions}): from the segment holding the fetch offset on, until a segment's
     * {@link TransactionIndex} shows that no later marker can belong to a transaction that started in the range.
     */
    List<AbortedTxn> abortedTransactions(FetchDataInfo read, long bound) {
        long fetchOffset = read.fetchOffset();
        LogSegment segment = segments.floor(fetchOffset);
        if (segment == null)
            return List.of();
        boolean any = false;
        for (LogSegment s = segment; s != null && !any; s = segments.higher(s.baseOffset()))
            any = !s.txnIndex().isEmpty();
        if (!any)
            return List.of();
        LogSegment next = segments.higher(segment.baseOffset());
        long upperBound = Math.min(bound, segment.fetchUpperBoundOffset(fetchOffset, read.records().sizeInBytes())
                .orElse(next != null ? next.baseOffset() : bound));
        return collectAbortedTransactions(segment, fetchOffset, upperBound);
    }

    /**
     * The aborted transactions that overlap the offsets {@code [from, upperBound)} (Kafka's
     * {@code collectAbortedTransactions}): their markers may lie in any later segment, so the transaction indexes
     * are searched from the segment holding {@code from} on until one shows that no later marker can overlap.
     * What the cleaner reads to tell aborted batches from committed ones; any thread.
     */
    List<AbortedTxn> collectAbortedTransactions(long from, long upperBound) {
        LogSegment segment = segments.floor(from);
        if (segment == null)
            segment = segments.higher(from);
        return segment == null ? List.of() : collectAbortedTransactions(segment, from, upperBound);
    }

    private List<AbortedTxn> collectAbortedTransactions(LogSegment first, long from, long upperBound) {
        List<AbortedTxn> aborted = new ArrayList<>();
        for (LogSegment s = first; s != null; s = segments.higher(s.baseOffset())) {
            TransactionIndex.SearchResult found = s.txnIndex().collect(from, upperBound);
            aborted.addAll(found.aborted());
            if (found.complete())
                break;
        }
        return aborted;
    }

    /**
     * Where {@code offset} lives on disk: the segment that holds it and the position of the batch holding it, or
     * the segment's size as of this call if no batch holds it yet (so a batch appended meanwhile is left out).
     * Empty if {@code offset} is below every segment, which happens only while a full truncation replaces them.
     */
    Optional<LogOffsetMetadata> offsetMetadata(long offset) {
        LogSegment segment = segments.floor(offset);
        if (segment == null)
            return Optional.empty();
        return Optional.of(new LogOffsetMetadata(offset, segment.baseOffset(), segment.positionOf(offset)));
    }

    /**
     * The first offset at or after {@code startOffset} and below the log end whose record timestamp is at or after
     * {@code timestamp}, with that timestamp. Finds the first segment whose largest timestamp qualifies, then uses
     * its time index and a scan.
     */
    Optional<TimestampOffset> offsetForTimestamp(long timestamp, long startOffset) {
        LogOffsetMetadata end = logEnd;
        for (LogSegment segment : segments.all()) {
            if (segment.baseOffset() > end.segmentBaseOffset())
                break;
            if (segment.maxTimestamp() < timestamp)
                continue;
            Optional<TimestampOffset> found =
                    segment.findOffsetByTimestamp(timestamp, Math.max(startOffset, segment.baseOffset()));
            if (found.isPresent())
                return found.get().offset() < end.messageOffset() ? found : Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * The base offset of the batch holding {@code offset}: {@code offset} itself if a batch starts there, no batch
     * holds it, or it is below every segment; lower if it falls inside a batch.
     */
    long batchBoundaryAtOrBelow(long offset) {
        LogSegment holding = segments.floor(offset);
        return holding == null ? offset : holding.batchBoundaryAtOrBelow(offset);
    }

    /**
     * Passes every batch from the one holding {@code from} up to the segment holding {@code to} to
     * {@code visitor}, reading batch headers only: for data already validated (below the log end).
     */
    void forEachBatch(long from, long to, RecordBatchScanner.BatchVisitor visitor) {
        for (LogSegment segment : segments.overlapping(from, to))
            segment.forEachBatchFrom(from, visitor);
    }

    // ---- writes (the owner's write lock held) ----

    /**
     * Writes batches whose offsets the owner assigned — the first at the log end offset, the last
     * {@code lastOffset} — to the active segment, rolling first if it is due (size, age, full index, offsets beyond
     * the segment's 4-byte range), and publishes the new log end.
     *
     * @throws LogFullException the disk is full; nothing of the batches is left in the files and the log stays
     *                          writable
     * @throws IOException      any other I/O error; the caller takes the log offline with {@link #fail}. A
     *                          runtime failure while writing takes it offline here, as part of the batches may be
     *                          in the files beyond the published end.
     */
    void append(MemoryRecords records, int sizeInBytes, long lastOffset, long nowMs) throws IOException {
        LogSegment segment;
        try {
            segment = maybeRoll(sizeInBytes, lastOffset, nowMs);
            int sizeBefore = segment.size();
            try {
                segment.append(records, nowMs);
            } catch (IOException e) {
                throw cutBackIfFull(segment, sizeBefore, e);
            }
        } catch (RuntimeException e) {
            if (e instanceof LogFullException)
                throw e;
            failure = String.valueOf(e);
            throw e;
        }
        logEnd = new LogOffsetMetadata(lastOffset + 1, segment.baseOffset(), segment.size());
    }

    /** Rolling needs space for the new segment's files: a full disk refuses this append, the log stays as it was. */
    private LogSegment maybeRoll(int appendBytes, long lastOffsetOfAppend, long nowMs) throws IOException {
        LogSegment active = segments.last();
        if (active.size() == 0 || !active.shouldRoll(appendBytes, lastOffsetOfAppend, nowMs, config))
            return active;
        try {
            return roll();
        } catch (IOException e) {
            if (LogFullException.isNoSpace(e))
                throw full(e);
            throw e;
        }
    }

    /**
     * Starts a new active segment at the log end offset. The old one is fsynced and its indexes trimmed first, so
     * every sealed segment is complete and durable; the recovery point is checkpointed before the
     * {@link RollListener} is told, so what the owner writes there never reflects data beyond it.
     *
     * @throws IOException also if a segment file for the log end offset already exists
     */
    LogSegment roll() throws IOException {
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
        recoveryPoint.checkpoint();
        rollListener.onRoll(newBaseOffset);
        return next;
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
            segment.truncateTo(sizeBefore, logEnd.messageOffset());
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
     * Removes every batch at and above {@code offset}, rounded down to a batch boundary
     * ({@link #batchBoundaryAtOrBelow}); nothing if {@code offset} is at or beyond the log end. The segment holding
     * the cut becomes the active one.
     *
     * <p>Order, for readers and for a crash: the recovery point is lowered to the cut (checkpoint first), so the
     * loader validates everything written from the cut on; the new end is published through {@code publication}
     * before any file shrinks, so no reader starts reading what is removed; the segments above the cut go from the
     * last one down, each removal made durable before the next, so a crash leaves a shorter but valid log, never one
     * with a hole; the holding segment is cut back and fsynced. Removed files are renamed {@code .deleted} and
     * removed after {@code file.delete.delay.ms}, so reads already under way complete.
     *
     * @param offset at or above the first segment's base offset
     * @return the log end offset afterwards
     */
    long truncateTo(long offset, TruncatedEnd publication) throws IOException {
        long end = logEnd.messageOffset();
        if (offset >= end)
            return end;
        LogSegment holding = segments.floor(offset);
        if (holding == null)
            throw new IllegalArgumentException("Cannot truncate partition " + topicPartition + " to offset " + offset
                    + ": it is below the first segment, which starts at " + segments.first().baseOffset());
        long cut = holding.batchBoundaryAtOrBelow(offset);
        return truncateAt(holding, cut, holding.positionOf(cut), publication);
    }

    /**
     * As {@link #truncateTo}, cutting {@code holding} at a place the caller found: {@code position}, where the
     * batch starting at offset {@code cut} starts or the segment's valid data ends. For the cut below a damaged
     * batch, whose header a walk from the offset index cannot be trusted to cross.
     *
     * @param holding one of the log's segments
     * @return {@code cut}, the log end offset afterwards
     */
    long truncateAt(LogSegment holding, long cut, int position, TruncatedEnd publication) throws IOException {
        if (!holds(holding))
            throw new IllegalArgumentException("Cannot truncate partition " + topicPartition + " in " + holding
                    + ": it is not, or no longer, a segment of the log");
        truncations++;
        recoveryPoint.lowerTo(cut);
        LogOffsetMetadata newEnd = new LogOffsetMetadata(cut, holding.baseOffset(), position);
        publication.publish(newEnd, () -> logEnd = newEnd);
        for (LogSegment last = segments.last(); last != holding; last = segments.last()) {
            remove(last, clock.millis());
            LogFiles.fsyncDirectory(dir);
        }
        holding.truncateFrom(cut, position, clock.millis());
        return cut;
    }

    /**
     * Builds {@code segment}'s indexes again from its data (see {@link LogSegment#rebuildIndexes}), which the caller
     * has just checked: for indexes found to disagree with the data.
     */
    void rebuildIndexes(LogSegment segment) throws IOException {
        segment.rebuildIndexes(segment != segments.last());
    }

    /**
     * Replaces every segment with one empty segment at {@code newStart}, which becomes the log end offset and the
     * recovery point (Kafka's {@code truncateFullyAndStartAt}). The owner removes the records at and above
     * {@code newStart} first ({@link #truncateTo}) and checkpoints its new log start before calling this, so that a
     * crash in between leaves segments that all lie below the start the loader will use.
     *
     * <p>Order: the recovery point is lowered if above {@code newStart}; the new end is published through
     * {@code publication}; the new segment is created and made durable, and only then are the old ones removed
     * (renamed {@code .deleted}, removed after {@code file.delete.delay.ms}); the recovery point is checkpointed at
     * {@code newStart} last.
     */
    void truncateFullyAndStartAt(long newStart, TruncatedEnd publication) throws IOException {
        truncations++;
        recoveryPoint.lowerTo(newStart);
        LogOffsetMetadata empty = new LogOffsetMetadata(newStart, newStart, 0);
        publication.publish(empty, () -> logEnd = empty);
        LogSegment active = segments.last();
        if (active.baseOffset() != newStart) {
            active = LogSegment.open(dir, newStart, config);
            segments.add(active);
            LogFiles.fsyncDirectory(dir);
        }
        for (LogSegment segment : new ArrayList<>(segments.all())) {
            if (segment != active)
                remove(segment, clock.millis());
        }
        LogFiles.fsyncDirectory(dir);
        active.initRollingBase(clock.millis());
        recoveryPoint.resetTo(newStart);
    }

    /**
     * Removes {@code oldest} — which segments is the owner's decision (retention) — from the log: reads stop finding
     * them at once; their files are renamed {@code .deleted} and removed by a {@link #deleteDueSegmentFiles} at or
     * after {@code nowMs + file.delete.delay.ms}, so reads already under way complete. The owner moves its log start
     * offset past them first, so that a reader who then finds no segment checks its range again.
     *
     * @param oldest the oldest segments of the log, in order, not including the active one ({@link #roll} first if
     *               every segment must go)
     */
    void deleteOldestSegments(List<LogSegment> oldest, long nowMs) throws IOException {
        checkRun(oldest);
        if (oldest.get(0) != segments.first())
            throw new IllegalArgumentException("Segments to delete must be the oldest of partition " + topicPartition
                    + ", but " + oldest.get(0) + " is not the first");
        for (LogSegment segment : oldest)
            remove(segment, nowMs);
        LogFiles.fsyncDirectory(dir);
    }

    /**
     * Takes {@code segment} out of the log: reads stop finding it at once, its files are renamed {@code .deleted}
     * and removed {@code file.delete.delay.ms} after {@code nowMs}, so reads already under way complete.
     */
    private void remove(LogSegment segment, long nowMs) throws IOException {
        segments.remove(segment);
        delayedDeletion.schedule(segment, nowMs + config.fileDeleteDelayMs());
    }

    /** Removes the files of deleted segments whose {@code file.delete.delay.ms} is over. */
    void deleteDueSegmentFiles(long nowMs) throws IOException {
        delayedDeletion.deleteDue(nowMs);
    }

    /**
     * Replaces a run of sealed segments with {@code cleaned}, one new segment holding what compaction kept of them,
     * so that a crash at any point leaves either the old segments or the new one (Kafka's {@code replaceSegments}).
     * {@code cleaned} has {@link LogFiles#CLEANED_SUFFIX} file names ({@link LogSegment#open(Path, long, LogConfig,
     * String)}) and starts where the first old segment does. The steps, and what the loader makes of a crash after
     * each ({@link SwapRecovery}):
     * <ol>
     *   <li>{@code cleaned} is sealed and fsynced. Crash: its {@code .cleaned} files are deleted.</li>
     *   <li>Its files are renamed {@code .swap}, the data file last, which commits the replacement; the directory is
     *       fsynced. Crash before the data file's rename: the new files are deleted; after it: the replacement
     *       is completed.</li>
     *   <li>It takes the first old segment's place in the log, the others are removed, and their files renamed
     *       {@code .deleted} (removed after {@code file.delete.delay.ms}, so reads under way complete); fsync.</li>
     *   <li>The {@code .swap} files get their plain names, the data file last; fsync.</li>
     * </ol>
     *
     * <p>The loader recognises the replaced segments by their base offsets lying below the new segment's last offset,
     * so {@code cleaned} must reach into the last old segment that holds data: the cleaner keeps that segment's last
     * batch (empty if need be, as Kafka keeps the last batch of a cleaning round).
     *
     * <p>The log start and end, the recovery point and the active segment do not change; keeping the owner's producer
     * state and epoch history right is the cleaner's job (it must keep what they rely on).
     *
     * @param old   the replaced segments: consecutive segments of the log, oldest first, not the active one; the new
     *              segment's batches must lie in their offset range
     * @param steps told of each rename, for tests to cut the replacement there
     * @throws IllegalArgumentException        if the segments do not meet these conditions; nothing was changed
     * @throws UncommittedReplacementException the replacement failed before its commit: the new segment's files are
     *                                         removed and the log is as it was
     * @throws IOException                     the replacement stopped after its commit; the caller takes the log
     *                                         offline, and the next open completes it
     */
    void replaceSegments(LogSegment cleaned, List<LogSegment> old, CleaningSteps steps) throws IOException {
        checkRun(old);
        LogSegment first = old.get(0);
        LogSegment last = old.get(old.size() - 1);
        if (cleaned.baseOffset() != first.baseOffset())
            throw new IllegalArgumentException("The new segment of partition " + topicPartition + " starts at "
                    + cleaned.baseOffset() + ", not at " + first.baseOffset() + " where the replaced segments start");
        if (!cleaned.logFile().getFileName().toString().endsWith(LogFiles.LOG_SUFFIX + LogFiles.CLEANED_SUFFIX))
            throw new IllegalArgumentException("The new segment of partition " + topicPartition + " must have "
                    + LogFiles.CLEANED_SUFFIX + " file names: " + cleaned.logFile());
        long rangeEnd = nextOffsetAfter(last);
        long cleanedEnd = cleaned.readNextOffset();
        if (cleanedEnd > rangeEnd)
            throw new IllegalArgumentException("The new segment of partition " + topicPartition + " holds offsets up to "
                    + (cleanedEnd - 1) + ", beyond the replaced segments, which end before " + rangeEnd);
        for (LogSegment segment : old) {
            if (segment.size() > 0 && segment.baseOffset() >= cleanedEnd)
                throw new IllegalArgumentException("The new segment of partition " + topicPartition + " ends before "
                        + cleanedEnd + ", so after a crash the loader could not tell that it replaces " + segment
                        + ": it must keep that segment's last batch");
        }

        commit(cleaned, steps);

        segments.replace(first, cleaned);
        for (LogSegment segment : old) {
            segments.remove(segment);
            delayedDeletion.schedule(segment, clock.millis() + config.fileDeleteDelayMs(), steps);
        }
        LogFiles.fsyncDirectory(dir);

        cleaned.renameWithSuffix("", steps);
        LogFiles.fsyncDirectory(dir);
        LOG.info(() -> "Partition " + topicPartition + ": replaced " + old.size() + " segment(s) with offsets "
                + first.baseOffset() + " to " + (rangeEnd - 1) + " by one of " + cleaned.size() + " bytes");
    }

    /**
     * Steps 1 and 2 of {@link #replaceSegments}: seal and fsync {@code cleaned}, rename its files {@code .swap}, the
     * data file last. A failure before that last rename removes the new files and throws
     * {@link UncommittedReplacementException}.
     */
    private void commit(LogSegment cleaned, CleaningSteps steps) throws IOException {
        try {
            cleaned.onBecomeInactiveSegment();
            cleaned.flushData();
            steps.done("fsynced the compacted segment " + cleaned.logFile().getFileName());
            cleaned.renameWithSuffix(LogFiles.SWAP_SUFFIX, steps);
        } catch (IOException | RuntimeException e) {
            if (cleaned.logFile().getFileName().toString().endsWith(LogFiles.SWAP_SUFFIX))
                throw e; // committed: only recovery may finish it
            try {
                cleaned.deleteFiles();
            } catch (IOException cannotDelete) {
                e.addSuppressed(cannotDelete); // the loader removes the leftovers at the next open
            }
            throw new UncommittedReplacementException("Replacing segments of partition " + topicPartition
                    + " failed before it was committed; the log is unchanged: " + e, e);
        }
        LogFiles.fsyncDirectory(dir);
    }

    /** Checks that {@code run} is a non-empty run of consecutive segments of this log, ending before the active one. */
    private void checkRun(List<LogSegment> run) {
        String problem = runProblem(run);
        if (problem != null)
            throw new IllegalArgumentException(problem);
    }

    /**
     * Whether {@code run} is still a run of consecutive sealed segments of this log: retention or a truncation may
     * have removed or cut some since a reader took them. Writer only.
     */
    boolean isSealedRun(List<LogSegment> run) {
        return runProblem(run) == null;
    }

    private String runProblem(List<LogSegment> run) {
        if (run.isEmpty())
            return "No segments given for partition " + topicPartition;
        LogSegment expected = segments.floor(run.get(0).baseOffset());
        for (LogSegment segment : run) {
            if (segment != expected)
                return "Segment " + segment + " is not, or no longer, the next segment of partition " + topicPartition
                        + " (found " + expected + ")";
            expected = segments.higher(segment.baseOffset());
        }
        if (expected == null)
            return "The active segment of partition " + topicPartition + " cannot be deleted or replaced: "
                    + run.get(run.size() - 1);
        return null;
    }

    // ---- durability ----

    /**
     * Returns once every offset below {@code offset} is on disk, sharing fsyncs with concurrent callers. Call it
     * without the write lock when waiting for an append.
     *
     * @throws KafkaStorageException if the fsync failed (the log is offline now)
     */
    void awaitDurable(long offset) {
        try {
            recoveryPoint.awaitDurable(offset);
        } catch (KafkaStorageException e) {
            failure = String.valueOf(e.getCause() != null ? e.getCause() : e);
            throw e;
        }
    }

    /**
     * Returns once the records up to {@code endOfAppend} are as durable as {@code flush.messages} demands of an
     * acknowledged append: fsynced if they, with what was unflushed before them, reach that many messages.
     */
    void awaitFlushPolicy(long endOfAppend) {
        if (endOfAppend - recoveryPoint.offset() >= config.flushMessages())
            awaitDurable(endOfAppend);
    }

    /** Whether data has been unflushed for {@code flush.ms}, measured from the last fsync. */
    boolean flushDue(long nowMs) {
        LogConfig cfg = config;
        if (cfg.flushMs() == Long.MAX_VALUE || recoveryPoint.offset() >= logEnd.messageOffset())
            return false;
        return nowMs - recoveryPoint.lastFlushMs() >= cfg.flushMs();
    }

    /**
     * Checkpoints the recovery point if it moved, without an fsync of its own: with {@code flush.messages=1} every
     * acknowledged append is durable already, and only the checkpoint tells recovery after a crash where to start.
     * Any thread. Does nothing on a closed or offline log.
     */
    void checkpointRecoveryPoint() throws IOException {
        if (writable())
            recoveryPoint.checkpoint();
    }

    /** Makes everything written so far durable and checkpoints the recovery point. */
    void flush() throws IOException {
        ensureOpen();
        awaitDurable(logEnd.messageOffset());
        recoveryPoint.checkpoint();
    }

    /** The {@link GroupCommit.Flusher}: fdatasync of every segment that may hold offsets in the range. */
    private void flushSegments(long fromOffset, long toOffset) throws IOException {
        for (LogSegment segment : segments.overlapping(fromOffset, toOffset))
            segment.flushData();
    }

    // ---- state ----

    boolean isClosed() {
        return closed;
    }

    /** @throws KafkaStorageException if the log is closed */
    void ensureOpen() {
        if (closed)
            throw new KafkaStorageException("The log of partition " + topicPartition + " is closed");
    }

    /** Whether the log is open and not offline. */
    boolean writable() {
        return !closed && failure == null;
    }

    /** @throws KafkaStorageException if the log is closed or offline */
    void ensureWritable() {
        ensureOpen();
        String f = failure;
        if (f != null)
            throw new KafkaStorageException("The log of partition " + topicPartition + " is offline after an I/O"
                    + " error (" + f + "); reopen it to recover");
    }

    /** Takes the log offline after {@code e} broke {@code action}; returns the exception for the caller to throw. */
    KafkaStorageException fail(String action, IOException e) {
        failure = e.toString();
        LOG.severe(() -> "Partition " + topicPartition + ": I/O error while " + action + "; the log is offline: " + e);
        return new KafkaStorageException("I/O error while " + action + " of partition " + topicPartition + ": " + e, e);
    }

    /**
     * Fsyncs, closes the segments and checkpoints the recovery point at the log end, then lets the owner write its
     * {@code finalCheckpoints}, and writes the clean-shutdown marker last, so that the marker vouches for all of
     * them. An offline log is only closed: no marker, the next open recovers. Idempotent.
     */
    void close(FinalCheckpoints finalCheckpoints) {
        if (closed)
            return;
        try {
            if (failure != null) {
                closed = true;
                closeHandlesQuietly();
                return;
            }
            long logEndOffset = logEnd.messageOffset();
            awaitDurable(logEndOffset);
            closed = true;
            delayedDeletion.deleteAll();
            for (LogSegment segment : segments.all())
                segment.close();
            recoveryPoint.checkpoint();
            finalCheckpoints.write(logEndOffset);
            new CleanShutdownMarker(logEndOffset, segments.last().size()).write(dir);
        } catch (IOException e) {
            closeHandlesQuietly();
            throw fail("closing the log", e);
        } finally {
            closed = true;
        }
    }

    /** Closes the log and removes its directory with everything in it. */
    void closeAndDelete() {
        closed = true;
        closeHandlesQuietly();
        try {
            LogFiles.deleteRecursively(dir);
            if (dir.getParent() != null)
                LogFiles.fsyncDirectory(dir.getParent());
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot delete the log of partition " + topicPartition + " in " + dir, e);
        }
    }

    private void closeHandlesQuietly() {
        for (LogSegment segment : segments.all())
            segment.closeHandles();
        delayedDeletion.closeAll();
    }
}
