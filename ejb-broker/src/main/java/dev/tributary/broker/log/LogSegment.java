package dev.tributary.broker.log;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.FileRecords.LogOffsetPosition;
import org.apache.kafka.common.record.internal.FileRecords.TimestampAndOffset;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One segment of a partition log: the data file ({@code <base>.log}, a Kafka {@link FileRecords}) holding record
 * batches with offsets from {@link #baseOffset()} on, plus its {@link OffsetIndex}, {@link TimeIndex} and
 * {@link TransactionIndex} (the aborted transactions whose markers it holds).
 *
 * <p>Invariants: batches in the data file have strictly increasing offsets, all at or above the base offset and
 * within {@code Integer.MAX_VALUE} of it; index entries refer only to batches already in the data file.
 *
 * <p>Concurrency: only the owning log's single writer calls {@link #append}, {@link #onBecomeInactiveSegment()},
 * {@link #renameWithSuffix} and {@link #close()} (or the cleaner, on a segment it has not handed to the log yet);
 * the loader calls the recovery methods before the log is published. Readers call {@link #read},
 * {@link #findOffsetByTimestamp}, {@link #size()} and {@link #largestTimestamp()} at any time without locking. The
 * data file grows by whole appends: FileRecords publishes its new size only after a write completes, and the log
 * additionally bounds every read by its published end offset.
 *
 * <p><b>Size.</b> A segment is its data file and three indexes kept in step: every operation (append, read, the
 * recovery scan, truncation, the renames of a compaction swap, close) must move all four together and keep the
 * invariants above, so they are kept in one place; the mechanics of each index live in {@link OffsetIndex},
 * {@link TimeIndex} and {@link TransactionIndex}, and batch validation in {@link RecordBatchScanner}.
 */
final class LogSegment implements Closeable {
    private final Path dir;
    private final long baseOffset;
    private final FileRecords log;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final TransactionIndex txnIndex;
    private final boolean indexFilesExisted;
    private final int indexIntervalBytes;

    /** Bytes appended since the last offset-index entry. Writer only. */
    private int bytesSinceLastIndexEntry;
    /** The largest record timestamp in the segment and the last offset of the batch holding it. */
    private volatile TimestampOffset maxTimestampSoFar;
    /** When the segment's age for {@code segment.ms} starts counting; -1 while it is empty. Writer only. */
    private long rollingBaseMs = -1;
    /** Whether the indexes were trimmed and the final time-index entry written. Writer only. */
    private boolean inactive;

    private LogSegment(Path dir, long baseOffset, FileRecords log, OffsetIndex offsetIndex, TimeIndex timeIndex,
                       TransactionIndex txnIndex, boolean indexFilesExisted, int indexIntervalBytes) {
        this.txnIndex = txnIndex;
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.log = log;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.indexFilesExisted = indexFilesExisted;
        this.indexIntervalBytes = indexIntervalBytes;
        this.maxTimestampSoFar = new TimestampOffset(RecordBatch.NO_TIMESTAMP, baseOffset);
    }

    /**
     * Opens the segment starting at {@code baseOffset} in {@code dir}, creating missing files. Index files are
     * created preallocated if absent; {@link #indexFilesExisted()} tells the loader whether to rebuild them.
     */
    static LogSegment open(Path dir, long baseOffset, LogConfig config) throws IOException {
        return open(dir, baseOffset, config, "");
    }

    /**
     * As {@link #open(Path, long, LogConfig)}, with {@code fileSuffix} after each file's name: compaction writes its
     * new segment with {@link LogFiles#CLEANED_SUFFIX} (see {@link LocalLog#replaceSegments}).
     */
    static LogSegment open(Path dir, long baseOffset, LogConfig config, String fileSuffix) throws IOException {
        Path logFile = LogFiles.withSuffix(LogFiles.logFile(dir, baseOffset), fileSuffix);
        Path indexFile = LogFiles.withSuffix(LogFiles.offsetIndexFile(dir, baseOffset), fileSuffix);
        Path timeIndexFile = LogFiles.withSuffix(LogFiles.timeIndexFile(dir, baseOffset), fileSuffix);
        boolean indexesExisted = Files.exists(indexFile) && Files.exists(timeIndexFile);
        FileRecords records = FileRecords.open(logFile.toFile(), true, Files.exists(logFile), 0, false);
        Path txnIndexFile = LogFiles.withSuffix(LogFiles.txnIndexFile(dir, baseOffset), fileSuffix);
        OffsetIndex offsetIndex = null;
        TimeIndex timeIndex = null;
        try {
            offsetIndex = new OffsetIndex(indexFile, baseOffset, config.segmentIndexBytes());
            timeIndex = new TimeIndex(timeIndexFile, baseOffset, config.segmentIndexBytes());
            TransactionIndex txnIndex = new TransactionIndex(txnIndexFile, baseOffset);
            return new LogSegment(dir, baseOffset, records, offsetIndex, timeIndex, txnIndex, indexesExisted,
                    config.indexIntervalBytes());
        } catch (IOException | RuntimeException e) {
            records.close();
            if (offsetIndex != null)
                offsetIndex.close();
            if (timeIndex != null)
                timeIndex.close();
            throw e;
        }
    }

    long baseOffset() {
        return baseOffset;
    }

    /** Size of the data file in bytes, counting only completed appends. */
    int size() {
        return log.sizeInBytes();
    }

    Path logFile() {
        return log.file().toPath();
    }

    FileRecords records() {
        return log;
    }

    OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    TimeIndex timeIndex() {
        return timeIndex;
    }

    TransactionIndex txnIndex() {
        return txnIndex;
    }

    boolean indexFilesExisted() {
        return indexFilesExisted;
    }

    /** The largest record timestamp in the segment, or -1 if no record has one. */
    long maxTimestamp() {
        return maxTimestampSoFar.timestamp();
    }

    /**
     * The largest record timestamp in the segment, or the data file's last-modified time if no record has a
     * timestamp (as Kafka): what {@code retention.ms} is measured against.
     */
    long largestTimestamp() throws IOException {
        long max = maxTimestampSoFar.timestamp();
        return max >= 0 ? max : lastModified();
    }

    /**
     * Whether the next append must go to a new segment: it would push the data file past {@code segment.bytes},
     * the segment is non-empty and older than {@code segment.ms} (or a compacted log's shorter
     * {@code max.compaction.lag.ms}, see {@link LogConfig#maxSegmentMs()}), an index is full, or
     * {@code lastOffsetOfAppend} would not fit the 4-byte relative offsets (Kafka's {@code shouldRoll}).
     */
    boolean shouldRoll(int appendBytes, long lastOffsetOfAppend, long nowMs, LogConfig config) {
        int size = size();
        boolean tooOld = size > 0 && nowMs - rollingBaseMs > config.maxSegmentMs();
        return size > config.segmentBytes() - appendBytes
                || tooOld
                || offsetIndex.isFull()
                || timeIndex.isFull()
                || lastOffsetOfAppend - baseOffset > Integer.MAX_VALUE;
    }

    /**
     * Appends batches whose offsets the log has already assigned, then indexes them. Writer only.
     *
     * @param nowMs the log clock, which starts the segment's {@code segment.ms} age on its first append
     */
    void append(MemoryRecords records, long nowMs) throws IOException {
        int physicalPosition = log.sizeInBytes();
        if (physicalPosition == 0)
            rollingBaseMs = nowMs;
        log.append(records);
        for (RecordBatch batch : records.batches()) {
            indexBatch(batch, physicalPosition);
            physicalPosition += batch.sizeInBytes();
        }
    }

    /**
     * Kafka's indexing rule: an offset-index entry for a batch once more than {@code index.interval.bytes} were
     * appended since the previous entry, together with a time-index entry for the largest timestamp so far. A full
     * index just skips the entry (the index is sparse; the next append rolls the segment).
     */
    private void indexBatch(RecordBatch batch, int position) {
        if (batch.maxTimestamp() > maxTimestampSoFar.timestamp())
            maxTimestampSoFar = new TimestampOffset(batch.maxTimestamp(), batch.lastOffset());
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            if (!offsetIndex.isFull())
                offsetIndex.append(batch.lastOffset(), position);
            if (!timeIndex.isFull())
                timeIndex.maybeAppend(maxTimestampSoFar.timestamp(), maxTimestampSoFar.offset(), false);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += batch.sizeInBytes();
    }

    /**
     * Where the batch containing {@code offset} starts, or null if no batch in the segment has a last offset at
     * or above it. Uses the offset index, then scans batch headers.
     */
    LogOffsetPosition translateOffset(long offset) {
        OffsetPosition floor = offsetIndex.lookup(offset);
        return log.searchForOffsetFromPosition(offset, floor.position());
    }

    /**
     * Reads from the batch containing {@code startOffset}.
     *
     * @param maxSize        byte limit of the slice
     * @param maxPosition    do not read past this position (the log's published end within this segment)
     * @param minOneMessage  return the whole first batch even if it is larger than {@code maxSize}
     * @return the slice, or null if the segment holds no batch at or after {@code startOffset} below
     *         {@code maxPosition}
     */
    FetchDataInfo read(long startOffset, int maxSize, int maxPosition, boolean minOneMessage) {
        LogOffsetPosition start = translateOffset(startOffset);
        if (start == null || start.position >= maxPosition)
            return null;
        int limit = minOneMessage ? Math.max(maxSize, start.size) : maxSize;
        int fetchSize = Math.min(maxPosition - start.position, limit);
        return new FetchDataInfo(startOffset, log.slice(start.position, fetchSize));
    }

    /**
     * An offset above every record of the slice {@link #read} returned for {@code fetchOffset} with
     * {@code sliceBytes} bytes: the last offset of the first indexed batch that starts at or after the slice's end,
     * or empty if the index has none (the caller then takes the next segment's base offset or its read bound).
     * Over-inclusive by up to {@code index.interval.bytes} of batches, as Kafka's {@code fetchUpperBoundOffset},
     * which a search for aborted transactions may be.
     */
    OptionalLong fetchUpperBoundOffset(long fetchOffset, int sliceBytes) {
        LogOffsetPosition start = translateOffset(fetchOffset);
        if (start == null)
            return OptionalLong.empty();
        return offsetIndex.firstOffsetAtOrAfterPosition(start.position + sliceBytes);
    }

    /**
     * The first record at or after {@code startingOffset} whose timestamp is at or after {@code timestamp}: a time
     * index lookup, an offset index lookup, then a scan of batches whose largest timestamp qualifies.
     */
    Optional<TimestampOffset> findOffsetByTimestamp(long timestamp, long startingOffset) {
        TimestampOffset before = timeIndex.lookupBefore(timestamp);
        OffsetPosition from = offsetIndex.lookup(Math.max(before.offset(), startingOffset));
        TimestampAndOffset found = log.searchForTimestamp(timestamp, from.position(), startingOffset,
                Integer.MAX_VALUE);
        return found == null ? Optional.empty() : Optional.of(new TimestampOffset(found.timestamp, found.offset));
    }

    /**
     * Validates every batch of the data file and rebuilds the offset and time indexes from the valid ones, passing
     * each valid batch on to {@code visitor} too. With {@code resetTxnIndex} the transaction index is emptied first,
     * for the visitor to fill again (which needs the producer state as of the segment's base offset). Does not
     * modify the data file: the loader decides from the result whether to truncate ({@link #truncateTo}) or to
     * refuse the log.
     */
    RecordBatchScanner.Result recover(RecordBatchScanner.BatchVisitor visitor, boolean resetTxnIndex)
            throws IOException {
        if (resetTxnIndex)
            txnIndex.reset();
        resetIndexes();
        return new RecordBatchScanner(log.channel(), log.sizeInBytes(), baseOffset).scan((batch, position) -> {
            indexBatch(batch, position);
            visitor.accept(batch, position);
        });
    }

    /**
     * The first step of recovering only the part of the segment at and above {@code recoveryPoint}: rebuilds the
     * offset and time indexes from the headers of the batches below it — data that was fsynced before the
     * recovery point was checkpointed, trusted as the segments below it are, so no CRC is computed — and returns
     * the byte position where the batch starting at {@code recoveryPoint} begins (the file's end if none does).
     * Reading headers costs one small read per batch, a small fraction of validating the batches.
     *
     * <p>Returns empty if those headers do not lead exactly to {@code recoveryPoint} (a header that is not a v2
     * batch's, offsets that do not follow one another, a batch across the recovery point, or the file ending
     * below it): the data below the recovery point is not what was fsynced, and the caller recovers the whole
     * segment with {@link #recover} instead, which also rebuilds the indexes afresh. Loader only.
     */
    OptionalInt reindexBelow(long recoveryPoint) throws IOException {
        resetIndexes();
        long nextOffset = baseOffset;
        int position = 0;
        try {
            for (FileChannelRecordBatch batch : log.batches()) {
                if (batch.baseOffset() >= recoveryPoint)
                    break;
                if (batch.magic() != RecordBatch.MAGIC_VALUE_V2 || batch.baseOffset() < nextOffset
                        || batch.lastOffset() < batch.baseOffset() || batch.lastOffset() >= recoveryPoint)
                    return OptionalInt.empty();
                indexBatch(batch, batch.position());
                nextOffset = batch.nextOffset();
                position = batch.position() + batch.sizeInBytes();
            }
        } catch (KafkaException e) { // an implausible size field, or a read that failed inside the iteration
            return OptionalInt.empty();
        }
        return nextOffset == recoveryPoint ? OptionalInt.of(position) : OptionalInt.empty();
    }

    /**
     * The second step after {@link #reindexBelow}: validates every batch from byte {@code position} (where the
     * batch starting at {@code recoveryPoint} begins) to the end as {@link #recover} does, adds their index
     * entries and passes them on to {@code visitor}; drops the transaction-index entries at and above the recovery
     * point first, for the visitor to fill again (which needs the producer state as of the recovery point). The
     * result counts from the start of the file: its valid bytes are {@code position} plus those validated here.
     * Does not modify the data file. Loader only.
     */
    RecordBatchScanner.Result recoverFrom(int position, long recoveryPoint, RecordBatchScanner.BatchVisitor visitor)
            throws IOException {
        txnIndex.truncateTo(recoveryPoint);
        RecordBatchScanner.Result tail = new RecordBatchScanner(log.channel(), log.sizeInBytes(), baseOffset)
                .scanFrom(position, recoveryPoint, (batch, at) -> {
                    indexBatch(batch, at);
                    visitor.accept(batch, at);
                });
        return new RecordBatchScanner.Result(position + tail.validBytes(), tail.validBatches(), tail.nextOffset(),
                tail.damage());
    }

    /**
     * Validates every batch of the data file as {@link #recover} does, passing each valid one to {@code visitor},
     * and changes nothing: what the {@link LogScrubber} and {@link PartitionLog#truncateToLastGood()} check. Any
     * thread; on a segment the writer is truncating meanwhile, what it finds is only valid if no truncation came in
     * between (see {@link LocalLog#truncations()}).
     */
    RecordBatchScanner.Result verify(RecordBatchScanner.BatchVisitor visitor) throws IOException {
        return new RecordBatchScanner(log.channel(), log.sizeInBytes(), baseOffset).scan(visitor);
    }

    /**
     * Builds both indexes again from the batch headers of the data file, which must have been checked already:
     * for indexes found to disagree with the data. A sealed segment's indexes are then trimmed and written as at a
     * roll; the active one's stay appendable. Writer only. Readers keep working meanwhile: a lookup sees the
     * entries rebuilt so far (one that began before, a mix of old and rebuilt ones, as after a truncation), and an
     * index lookup only says where a scan of batch headers starts.
     */
    void rebuildIndexes(boolean sealed) throws IOException {
        resetIndexes();
        for (FileChannelRecordBatch batch : log.batches())
            indexBatch(batch, batch.position());
        if (sealed)
            onBecomeInactiveSegment();
    }

    private void resetIndexes() throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        maxTimestampSoFar = new TimestampOffset(RecordBatch.NO_TIMESTAMP, baseOffset);
        bytesSinceLastIndexEntry = 0;
        inactive = false;
    }

    /**
     * Passes every batch from the one holding {@code offset} on to {@code visitor}, reading batch headers only:
     * for data that is trusted (validated or below the recovery point) and whose offset index is sound.
     */
    void forEachBatchFrom(long offset, RecordBatchScanner.BatchVisitor visitor) {
        forEachBatchBetween(offset, Long.MAX_VALUE, visitor);
    }

    /**
     * As {@link #forEachBatchFrom}, stopping before the first batch whose base offset is at or above {@code end}:
     * for trusted data followed by data that is not (the part of a segment above the recovery point).
     */
    void forEachBatchBetween(long offset, long end, RecordBatchScanner.BatchVisitor visitor) {
        LogOffsetPosition start = translateOffset(offset);
        if (start == null)
            return;
        for (FileChannelRecordBatch batch : log.batchesFrom(start.position)) {
            if (batch.baseOffset() >= end)
                return;
            visitor.accept(batch, batch.position());
        }
    }

    /** A valid batch after byte {@code from} with offsets at or above {@code minOffset}, if the file has one. */
    Optional<RecordBatchScanner.FoundBatch> findValidBatchAfter(int from, long minOffset) throws IOException {
        return new RecordBatchScanner(log.channel(), log.sizeInBytes(), baseOffset).findValidBatchAfter(from, minOffset);
    }

    /**
     * The base offset of the batch holding {@code offset}: {@code offset} itself if a batch starts there or the
     * segment holds no batch at or above it, lower if it falls inside a batch.
     */
    long batchBoundaryAtOrBelow(long offset) {
        LogOffsetPosition holding = translateOffset(offset);
        if (holding == null)
            return offset;
        return Math.min(offset, log.batchesFrom(holding.position).iterator().next().baseOffset());
    }

    /**
     * Byte position of the batch holding {@code offset} (where it starts, so for a batch boundary from
     * {@link #batchBoundaryAtOrBelow} the batch starting there), or the segment's size as of this call if no batch
     * of it holds that offset or a later one. The size is read first, so a batch appended meanwhile is left out.
     */
    int positionOf(long offset) {
        int size = size();
        LogOffsetPosition holding = translateOffset(offset);
        return holding == null ? size : Math.min(holding.position, size);
    }

    /**
     * Removes the batch starting at {@code batchBoundary} (from {@link #batchBoundaryAtOrBelow}) and every later
     * one, with their index entries, fsyncs the data file so the cut survives a crash, and makes the segment
     * appendable: it is the log's active segment from now on. Writer only. Readers holding slices of the removed
     * bytes may see them shrink.
     *
     * @param nowMs the log clock, which restarts the {@code segment.ms} age if the segment is left empty
     */
    void truncateFrom(long batchBoundary, long nowMs) throws IOException {
        truncateFrom(batchBoundary, positionOf(batchBoundary), nowMs);
    }

    /**
     * As {@link #truncateFrom(long, long)}, where the caller knows the position: the cut below a damaged batch,
     * whose header the walk from the offset index could not be trusted to cross.
     *
     * @param position where the batch starting at {@code batchBoundary} starts, or where the valid data ends
     */
    void truncateFrom(long batchBoundary, int position, long nowMs) throws IOException {
        offsetIndex.truncateTo(batchBoundary);
        timeIndex.truncateTo(batchBoundary);
        txnIndex.truncateTo(batchBoundary);
        log.truncateTo(position);
        log.channel().force(true);
        makeActive();
        bytesSinceLastIndexEntry = 0;
        maxTimestampSoFar = largestTimestampInFile();
        initRollingBase(nowMs);
    }

    /** The time index's last entry, or a later batch with a larger timestamp after the last offset-index entry. */
    private TimestampOffset largestTimestampInFile() {
        TimestampOffset max = timeIndex.lastEntry();
        for (FileChannelRecordBatch batch : log.batchesFrom(offsetIndex.lastEntry().position())) {
            if (batch.maxTimestamp() > max.timestamp())
                max = new TimestampOffset(batch.maxTimestamp(), batch.lastOffset());
        }
        return max;
    }

    /**
     * Cuts the data file to {@code size} bytes (dropping a damaged tail found by {@link #recover}), and the
     * transaction index to the markers below {@code nextOffset}, the offset after what remains.
     */
    void truncateTo(int size, long nextOffset) throws IOException {
        log.truncateTo(size);
        txnIndex.truncateTo(nextOffset);
    }

    /**
     * For a segment whose data is trusted (clean shutdown, or below the recovery point): checks both indexes
     * against the data file and returns the offset after the last batch. Reads only the batch headers after the
     * last offset-index entry.
     *
     * @throws CorruptIndexException if an index is inconsistent; the caller rebuilds with {@link #recover()}
     */
    long verifyIndexesAndReadNextOffset() throws IOException {
        int size = size();
        offsetIndex.sanityCheck(Long.MAX_VALUE, size);
        OffsetPosition last = offsetIndex.lastEntry();
        Iterator<FileChannelRecordBatch> batches = log.batchesFrom(last.position()).iterator();
        long nextOffset = baseOffset;
        if (offsetIndex.entries() > 0) {
            FileChannelRecordBatch indexed = batches.hasNext() ? batches.next() : null;
            if (indexed == null || indexed.magic() != RecordBatch.MAGIC_VALUE_V2 || indexed.lastOffset() != last.offset())
                throw offsetIndex.corrupt("last entry " + last + " does not point at a batch with that last offset");
            nextOffset = indexed.nextOffset();
        }
        while (batches.hasNext())
            nextOffset = batches.next().nextOffset();
        timeIndex.sanityCheck(nextOffset, size);
        maxTimestampSoFar = timeIndex.lastEntry();
        return nextOffset;
    }

    /**
     * The offset after the segment's last batch, or its base offset if it is empty, from the batch headers after
     * the last offset-index entry.
     */
    long readNextOffset() {
        long nextOffset = baseOffset;
        for (FileChannelRecordBatch batch : log.batchesFrom(offsetIndex.lastEntry().position()))
            nextOffset = batch.nextOffset();
        return nextOffset;
    }

    /**
     * Starts the {@code segment.ms} clock of a segment loaded from disk that becomes the active one: from its first
     * batch's timestamp if that is plausible, otherwise from {@code nowMs}.
     */
    void initRollingBase(long nowMs) {
        if (size() == 0) {
            rollingBaseMs = -1;
            return;
        }
        long first = firstBatchTimestamp();
        rollingBaseMs = first >= 0 && first <= nowMs ? first : nowMs;
    }

    /** The largest timestamp of the segment's first batch, or -1 if it has none or the segment is empty. */
    long firstBatchTimestamp() {
        Iterator<FileChannelRecordBatch> batches = log.batches().iterator();
        return batches.hasNext() ? batches.next().maxTimestamp() : RecordBatch.NO_TIMESTAMP;
    }

    /** The data file's last-modified time: what retention measures a segment without timestamps by. */
    long lastModified() throws IOException {
        return Files.getLastModifiedTime(logFile()).toMillis();
    }

    /** Sets the data file's last-modified time: a compacted segment keeps that of the segments it replaces. */
    void setLastModified(long millis) throws IOException {
        Files.setLastModifiedTime(logFile(), FileTime.fromMillis(millis));
    }

    /**
     * Called when a newer segment takes over appends (or the log closes): records the final largest timestamp in
     * the time index, trims both index files to their entries and writes them to disk. Writer only.
     */
    void onBecomeInactiveSegment() throws IOException {
        if (inactive)
            return;
        timeIndex.maybeAppend(maxTimestampSoFar.timestamp(), maxTimestampSoFar.offset(), true);
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
        offsetIndex.flush();
        timeIndex.flush();
        inactive = true;
    }

    /** Grows the trimmed indexes of a loaded last segment back so it can take appends. */
    void makeActive() throws IOException {
        offsetIndex.makeAppendable();
        timeIndex.makeAppendable();
        inactive = false;
    }

    /**
     * fdatasync of the data file, and fsync of the transaction index if it has new entries: what an acknowledged
     * append needs. Safe to call concurrently with appends.
     */
    void flushData() throws IOException {
        log.channel().force(false);
        txnIndex.flush();
    }

    /**
     * Renames all files of the segment to their plain names followed by {@code suffix} (e.g. {@code .deleted}, or
     * {@code ""} for the plain names); the open handles stay usable. The data file goes last: the loader goes by its
     * name (see {@link LocalLog#replaceSegments}).
     */
    void renameWithSuffix(String suffix) throws IOException {
        renameWithSuffix(suffix, CleaningSteps.NONE);
    }

    /** As {@link #renameWithSuffix(String)}, telling {@code steps} of each file renamed. */
    void renameWithSuffix(String suffix, CleaningSteps steps) throws IOException {
        Path index = LogFiles.withSuffix(LogFiles.offsetIndexFile(dir, baseOffset), suffix);
        offsetIndex.renameTo(index);
        steps.done("renamed the offset index to " + index.getFileName());
        Path timeIndexFile = LogFiles.withSuffix(LogFiles.timeIndexFile(dir, baseOffset), suffix);
        timeIndex.renameTo(timeIndexFile);
        steps.done("renamed the time index to " + timeIndexFile.getFileName());
        Path txnIndexFile = LogFiles.withSuffix(LogFiles.txnIndexFile(dir, baseOffset), suffix);
        txnIndex.renameTo(txnIndexFile);
        steps.done("renamed the transaction index to " + txnIndexFile.getFileName());
        Path data = LogFiles.withSuffix(LogFiles.logFile(dir, baseOffset), suffix);
        log.renameTo(data.toFile());
        steps.done("renamed the data file to " + data.getFileName());
    }

    /** Closes the data file without flushing and removes all files of the segment. */
    void deleteFiles() throws IOException {
        log.deleteIfExists();
        offsetIndex.deleteIfExists();
        timeIndex.deleteIfExists();
        txnIndex.deleteIfExists();
    }

    /** Closes the data file's channel without flushing or touching the indexes: for a log that failed to load. */
    void closeHandles() {
        try {
            log.channel().close();
            txnIndex.close();
        } catch (IOException e) {
            // nothing to do: the log is not being used
        }
    }

    /** Trims the indexes, writes the final time-index entry and closes the data file (which fsyncs it). */
    @Override
    public void close() throws IOException {
        onBecomeInactiveSegment();
        offsetIndex.close();
        timeIndex.close();
        txnIndex.flush();
        txnIndex.close();
        log.close();
    }

    @Override
    public String toString() {
        return "LogSegment(baseOffset=" + baseOffset + ", size=" + size() + ", file=" + logFile() + ")";
    }
}
