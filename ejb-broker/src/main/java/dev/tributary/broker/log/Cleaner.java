package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.ByteUtils;
import org.apache.kafka.common.utils.internals.CloseableIterator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Cleans one compacted partition log (Kafka's {@code Cleaner}): removes every record that a later record of the same
 * key replaced, and tombstones whose {@code delete.retention.ms} is over, from the log's cleanable part, without
 * changing any offset.
 *
 * <p>One cleaning is one or more <em>passes</em>. A pass reads the dirty part from its first dirty offset into the
 * {@link OffsetMap} (key to latest offset) until the map is full or the dirty part ends, then rewrites every sealed
 * segment from the start of the log up to where the map reached, in groups of consecutive segments that together fit
 * {@code segment.bytes} and the index size (so small segments merge), each group into one compacted segment that
 * {@link PartitionLog#replaceSegments} swaps in crash-safely. After each pass the caller checkpoints where the map
 * reached; a partition with more keys than the map holds thus takes several passes, and memory stays within the
 * map's bound whatever the log holds. Which records a pass keeps is the {@link CompactionFilter}'s rule.
 *
 * <p>Transactions: the cleanable part ends below the last stable offset ({@link LogToClean}), so every transaction
 * a pass reads is decided. Each reading of the segments (the map, then the rewrite) follows them with a
 * {@link CleanedTransactions} fed from the segments' transaction indexes: aborted transactions' records never enter
 * the map (they must not shadow a committed value of their key) and are removed by the rewrite, which also writes
 * the compacted segment's transaction index.
 *
 * <p>Reads segments without the log's lock (sealed segments do not change; retention or a truncation may remove
 * them, which the replacement then detects and the cleaning is aborted); validates every batch it reads (CRC), so
 * damage fails the cleaning instead of being copied. Its reads and writes go through the shared {@link Throttler}.
 *
 * <p>Not thread-safe: one per cleaner thread, one cleaning at a time.
 */
final class Cleaner {
    private final OffsetMap map;
    private final Throttler throttler;
    private final Clock clock;
    private final CleaningSteps steps;
    private final BufferSupplier decompression = BufferSupplier.create();
    private ByteBuffer readBuffer = ByteBuffer.allocate(CleanerConfig.IO_BUFFER_SIZE);
    private ByteBuffer writeBuffer = ByteBuffer.allocate(CleanerConfig.IO_BUFFER_SIZE);

    /**
     * @param mapMemory this thread's share of {@code log.cleaner.dedupe.buffer.size}
     * @param steps     told of each step that changes files (tests crash there)
     */
    Cleaner(long mapMemory, Throttler throttler, Clock clock, CleaningSteps steps) {
        this.map = new OffsetMap(mapMemory, CleanerConfig.DEDUPE_BUFFER_LOAD_FACTOR);
        this.throttler = throttler;
        this.clock = clock;
        this.steps = steps;
    }

    /**
     * Cleans {@code cleanable} up to its first uncleanable offset.
     *
     * @param progress told after each pass of the offset below which the log is now clean (for the checkpoint)
     * @param abort    throws {@link CleaningAbortedException} when the cleaning must stop; called between reads and,
     *                 under the log's lock, before each replacement
     * @throws CleaningAbortedException asked to stop, or the log changed under the cleaning; what was replaced stays
     * @throws CorruptRecordException   a batch of the log is damaged
     * @throws IOException              reading or writing failed; what was replaced stays
     * @throws InterruptedException     interrupted while throttled
     */
    CleanerStats clean(LogToClean cleanable, LongConsumer progress, Runnable abort)
            throws IOException, InterruptedException {
        PartitionLog log = cleanable.log();
        long now = clock.millis();
        CleanerStats stats = new CleanerStats(now);
        long dirty = cleanable.firstDirtyOffset();
        long end = cleanable.firstUncleanableOffset();
        try {
            if (dirty >= end && cleanable.sweepTombstones()) {
                map.reset(0);
                cleanSegments(log, dirty, now, stats, abort);
                stats.passDone(map.utilization());
            }
            while (dirty < end) {
                long mapEnd = buildOffsetMap(log, dirty, end, stats, abort);
                cleanSegments(log, mapEnd, now, stats, abort);
                stats.passDone(map.utilization());
                progress.accept(mapEnd);
                dirty = mapEnd;
            }
        } finally {
            map.release();
            restoreBuffers();
        }
        stats.done(clock.millis());
        return stats;
    }

    // ---- building the offset map ----

    /**
     * Puts the keys of {@code [from, to)} into the map, from the segment holding {@code from} on, until the map is
     * full. Returns where it stopped: {@code to}, or the offset of the first record the full map could not take
     * (always beyond {@code from}: an empty map takes any key).
     */
    private long buildOffsetMap(PartitionLog log, long from, long to, CleanerStats stats, Runnable abort)
            throws IOException, InterruptedException {
        map.reset(to - from);
        LocalLog local = log.local();
        CleanedTransactions txns = new CleanedTransactions();
        txns.addAborted(local.collectAbortedTransactions(from, to));
        for (LogSegment segment : local.segments()) {
            if (segment.baseOffset() >= to)
                break;
            long segmentEnd = local.nextOffsetAfter(segment);
            if (segmentEnd <= from)
                continue;
            long stoppedAt = mapSegment(log.topicPartition(), segment, from, txns, stats, abort);
            if (stoppedAt >= 0)
                return stoppedAt;
        }
        return to;
    }

    /**
     * Maps the keys of one segment at and after {@code from}, leaving out aborted transactions' records (they must
     * not shadow an earlier committed value of their key); returns where a full map stopped, or -1.
     */
    private long mapSegment(TopicPartition tp, LogSegment segment, long from, CleanedTransactions txns,
                            CleanerStats stats, Runnable abort)
            throws IOException, InterruptedException {
        FileRecords source = segment.records();
        int size = source.sizeInBytes();
        int position = segment.offsetIndex().lookup(from).position();
        while (position < size) {
            abort.run();
            MemoryRecords chunk = readValidBatches(tp, segment, position, size);
            int batchStart = 0;
            for (MutableRecordBatch batch : chunk.batches()) {
                if (batch.isControlBatch()) {
                    txns.onControlBatch(batch); // ends its transaction; markers hold no keys
                } else if (!txns.onDataBatch(batch) && batch.lastOffset() >= from) {
                    long stoppedAt = batch.compressionType() == CompressionType.NONE
                            ? mapUncompressed(chunk.buffer(), batchStart, batch, from)
                            : mapDecompressed(batch, from);
                    if (stoppedAt >= 0)
                        return stoppedAt;
                }
                batchStart += batch.sizeInBytes();
            }
            position += chunk.sizeInBytes();
            stats.mapped(chunk.sizeInBytes());
            throttler.acquire(chunk.sizeInBytes());
        }
        return -1;
    }

    /**
     * Maps the keys of the uncompressed batch at {@code batchStart} of {@code buffer} where they lie, reading each
     * record's header fields (RecordBatch v2: length, attributes, timestamp delta, offset delta, key length, all
     * varints but the attributes) instead of decoding records into objects: the map pass allocates nothing per
     * record. Returns where a full map stopped, or -1.
     */
    private long mapUncompressed(ByteBuffer buffer, int batchStart, RecordBatch batch, long from) {
        ByteBuffer records = buffer.duplicate();
        records.position(buffer.position() + batchStart + DefaultRecordBatch.RECORD_BATCH_OVERHEAD);
        int count = batch.countOrNull();
        for (int i = 0; i < count; i++) {
            int length = ByteUtils.readVarint(records);
            int next = records.position() + length;
            records.get(); // attributes
            ByteUtils.readVarlong(records); // timestamp delta
            long offset = batch.baseOffset() + ByteUtils.readVarint(records);
            int keyLength = ByteUtils.readVarint(records);
            if (offset >= from && keyLength >= 0 && !map.put(records, records.position(), keyLength, offset))
                return offset;
            records.position(next);
        }
        return -1;
    }

    /** Maps the keys of a compressed batch, decompressing it. Returns where a full map stopped, or -1. */
    private long mapDecompressed(RecordBatch batch, long from) {
        try (CloseableIterator<Record> records = batch.streamingIterator(decompression)) {
            while (records.hasNext()) {
                Record record = records.next();
                if (record.offset() >= from && record.hasKey() && !map.put(record.key(), record.offset()))
                    return record.offset();
            }
        }
        return -1;
    }

    // ---- rewriting the segments ----

    /** Rewrites the sealed segments from the log's first up to the one holding {@code mapEnd - 1}, group by group. */
    private void cleanSegments(PartitionLog log, long mapEnd, long now, CleanerStats stats, Runnable abort)
            throws IOException, InterruptedException {
        LocalLog local = log.local();
        LogSegment active = local.activeSegment();
        List<LogSegment> candidates = new ArrayList<>();
        for (LogSegment segment : local.segments()) {
            if (segment.baseOffset() >= mapEnd || segment.baseOffset() >= active.baseOffset())
                break;
            candidates.add(segment);
        }
        if (candidates.isEmpty())
            return;
        Map<Long, Long> producers = log.lastOffsetsOfProducers();
        CleanedTransactions txns = new CleanedTransactions();
        txns.addAborted(local.collectAbortedTransactions(candidates.get(0).baseOffset(),
                local.nextOffsetAfter(candidates.get(candidates.size() - 1))));
        for (List<LogSegment> group : groupBySize(candidates, log.config()))
            cleanGroup(log, group, mapEnd, now, producers, txns, stats, abort);
    }

    /**
     * Splits consecutive segments into groups that, rewritten into one, fit {@code segment.bytes}, each index's
     * size and the 4-byte relative offsets (Kafka's {@code groupSegmentsBySize}). A group never ends with an empty
     * segment, which no compacted segment could cover (see {@link LocalLog#replaceSegments}); a group of only empty
     * segments is left alone.
     */
    static List<List<LogSegment>> groupBySize(List<LogSegment> segments, LogConfig config) {
        List<List<LogSegment>> groups = new ArrayList<>();
        int i = 0;
        while (i < segments.size()) {
            List<LogSegment> group = new ArrayList<>();
            LogSegment first = segments.get(i);
            long logBytes = 0;
            long offsetIndexBytes = 0;
            long timeIndexBytes = 0;
            while (i < segments.size()) {
                LogSegment next = segments.get(i);
                long nextEnd = i + 1 < segments.size() ? segments.get(i + 1).baseOffset() : next.readNextOffset();
                boolean fits = group.isEmpty() || (logBytes + next.size() <= config.segmentBytes()
                        && offsetIndexBytes + indexBytes(next.offsetIndex()) <= config.segmentIndexBytes()
                        && timeIndexBytes + indexBytes(next.timeIndex()) <= config.segmentIndexBytes()
                        && (next.size() == 0 || nextEnd - 1 - first.baseOffset() <= Integer.MAX_VALUE));
                if (!fits)
                    break;
                group.add(next);
                logBytes += next.size();
                offsetIndexBytes += indexBytes(next.offsetIndex());
                timeIndexBytes += indexBytes(next.timeIndex());
                i++;
            }
            while (!group.isEmpty() && group.get(group.size() - 1).size() == 0) {
                group.remove(group.size() - 1);
                i--;
            }
            if (group.isEmpty())
                i++; // an empty segment alone
            else
                groups.add(group);
        }
        return groups;
    }

    private static long indexBytes(AbstractIndex index) {
        return (long) index.entries() * index.entrySize();
    }

    /**
     * Filters the segments of {@code group} into one new {@code .cleaned} segment and has the log swap it in. A
     * single segment from which nothing would be removed is left as it is.
     */
    private void cleanGroup(PartitionLog log, List<LogSegment> group, long mapEnd, long now,
                            Map<Long, Long> producers, CleanedTransactions txns, CleanerStats stats, Runnable abort)
            throws IOException, InterruptedException {
        LogConfig config = log.config();
        LogSegment first = group.get(0);
        LogSegment last = group.get(group.size() - 1);
        Path dir = log.dir();
        deleteLeftovers(dir, first.baseOffset());
        LogSegment cleaned = LogSegment.open(dir, first.baseOffset(), config, LogFiles.CLEANED_SUFFIX);
        try {
            txns.writeTo(cleaned.txnIndex());
            CompactionFilter filter = new CompactionFilter(now, config.deleteRetentionMs(), map, mapEnd, producers,
                    txns, last.readNextOffset(), stats);
            for (LogSegment segment : group)
                cleanInto(log.topicPartition(), segment, cleaned, filter, config.maxMessageBytes(), now, stats, abort);
            if (!filter.changed() && group.size() == 1)
                return;
            cleaned.setLastModified(last.lastModified());
            steps.done("wrote the compacted segment " + cleaned.logFile().getFileName());
            log.replaceSegments(cleaned, group, abort, steps);
            stats.replaced(group.size());
        } finally {
            // Until its data file is renamed .swap the new segment is not part of the log: remove it if anything
            // stopped the replacement before (a failure after that is the log's to recover).
            if (cleaned.logFile().getFileName().toString().endsWith(LogFiles.CLEANED_SUFFIX))
                cleaned.deleteFiles();
        }
    }

    /** Copies what {@code filter} keeps of {@code segment} into {@code cleaned}. */
    private void cleanInto(TopicPartition tp, LogSegment segment, LogSegment cleaned, CompactionFilter filter,
                           int maxBatchSize, long now, CleanerStats stats, Runnable abort)
            throws IOException, InterruptedException {
        int size = segment.size();
        int position = 0;
        while (position < size) {
            abort.run();
            MemoryRecords chunk = readValidBatches(tp, segment, position, size);
            throttler.acquire(chunk.sizeInBytes());
            writeBuffer.clear();
            MemoryRecords.FilterResult result = chunk.filterTo(filter, writeBuffer, decompression, maxBatchSize);
            stats.filtered(result.messagesRead(), result.bytesRead(), result.messagesRetained(),
                    result.bytesRetained());
            position += result.bytesRead();
            ByteBuffer output = result.outputBuffer();
            if (output.capacity() > writeBuffer.capacity())
                writeBuffer = output; // filterTo grew it for a batch
            if (output.position() > 0) {
                output.flip();
                cleaned.append(MemoryRecords.readableRecords(output), now);
                throttler.acquire(output.limit());
            }
        }
    }

    /**
     * The complete batches from {@code position} on, as many as the read buffer holds (grown for a batch larger
     * than it), each checked (size, CRC).
     *
     * @throws CorruptRecordException a batch is damaged, or the file ends inside one
     */
    private MemoryRecords readValidBatches(TopicPartition tp, LogSegment segment, int position, int size)
            throws IOException {
        while (true) {
            readBuffer.clear();
            readBuffer.limit(Math.min(readBuffer.capacity(), size - position));
            segment.records().readInto(readBuffer, position);
            MemoryRecords records = MemoryRecords.readableRecords(readBuffer);
            int valid = 0;
            for (MutableRecordBatch batch : records.batches()) {
                try {
                    batch.ensureValid();
                } catch (CorruptRecordException e) {
                    throw corrupt(tp, segment, position + valid, e.getMessage());
                }
                valid += batch.sizeInBytes();
            }
            if (valid > 0) {
                ByteBuffer complete = readBuffer.duplicate();
                complete.limit(complete.position() + valid);
                return MemoryRecords.readableRecords(complete.slice());
            }
            Integer next = records.firstBatchSize();
            if (next == null || next <= readBuffer.capacity() || next > size - position)
                throw corrupt(tp, segment, position, next == null ? "the file ends inside a batch header"
                        : "a batch claims " + next + " bytes where " + (size - position) + " are left");
            readBuffer = ByteBuffer.allocate(next);
        }
    }

    private static CorruptRecordException corrupt(TopicPartition tp, LogSegment segment, int position, String why) {
        return new CorruptRecordException("Partition " + tp + ": damaged batch at position " + position + " of "
                + segment.logFile() + ": " + why);
    }

    /** Returns the buffers to their usual size after a large batch grew them. */
    private void restoreBuffers() {
        if (readBuffer.capacity() > CleanerConfig.IO_BUFFER_SIZE)
            readBuffer = ByteBuffer.allocate(CleanerConfig.IO_BUFFER_SIZE);
        if (writeBuffer.capacity() > CleanerConfig.IO_BUFFER_SIZE)
            writeBuffer = ByteBuffer.allocate(CleanerConfig.IO_BUFFER_SIZE);
    }

    /** Removes {@code .cleaned} files of a cleaning of this segment that failed earlier in this run of the broker. */
    private static void deleteLeftovers(Path dir, long baseOffset) throws IOException {
        for (Path file : List.of(LogFiles.logFile(dir, baseOffset), LogFiles.offsetIndexFile(dir, baseOffset),
                LogFiles.timeIndexFile(dir, baseOffset), LogFiles.txnIndexFile(dir, baseOffset)))
            Files.deleteIfExists(LogFiles.withSuffix(file, LogFiles.CLEANED_SUFFIX));
    }
}
