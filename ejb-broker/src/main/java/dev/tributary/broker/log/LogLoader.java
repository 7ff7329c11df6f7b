package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Opens a partition log directory and brings it to a consistent state (Kafka's {@code LogLoader}).
 *
 * <ol>
 *   <li>Removes stray files: {@code .deleted} (segment deletions interrupted by a crash), {@code .cleaned}
 *       (compaction output not committed yet), {@code .tmp} (interrupted atomic writes) and index files without a
 *       data file; completes a segment replacement whose {@code .swap} files show it was committed
 *       ({@link SwapRecovery}) and recovers the segment it put in place like one above the recovery point, so that
 *       its transaction index is rebuilt.</li>
 *   <li>Reads and deletes the clean-shutdown marker (so a crash after this open is never taken for a clean
 *       shutdown), and reads the recovery-point and log-start-offset checkpoints.</li>
 *   <li>After a clean shutdown whose marker matches the files, trusts the data: only the indexes are
 *       sanity-checked, and any that is missing or fails is rebuilt. Otherwise the data above the recovery point
 *       is validated batch by batch ({@link RecordBatchScanner}) and its indexes are rebuilt: the segment holding
 *       the recovery point from the recovery point's batch on (its position found, and its indexes below it
 *       rebuilt, from the batch headers below it, which were fsynced before the checkpoint was written), every
 *       later segment whole. Data below the recovery point is trusted as after a clean shutdown; the
 *       {@link LogScrubber} verifies it in the background once its segment is sealed. If the headers below the
 *       recovery point do not lead to it, its segment is validated whole.</li>
 *   <li>Damage found by validation is handled by where it is. A damaged <em>tail</em> of the last segment (no
 *       valid batch after it: a torn write) is truncated and logged at WARNING with the partition, the offsets and
 *       the bytes dropped. Damage anywhere else — followed by a valid batch, or in a segment followed by newer
 *       segments — means acknowledged data is damaged; it is never truncated or served:
 *       {@link LogCorruptionException} is thrown and the caller takes the partition offline.</li>
 *   <li>Data that was recovered is fsynced (after a process crash it may still be only in the page cache), and
 *       the recovery point becomes the log end offset.</li>
 *   <li>The log start offset is the first segment's base offset, or the checkpointed log start offset if that is
 *       later (records deleted inside a segment stay deleted).</li>
 *   <li>Producer state is rebuilt from its latest usable snapshot and the batches after it, taken from the same
 *       scan where there is one ({@link ProducerStateLoader}).</li>
 *   <li>The leader epoch history is read from its checkpoint (or rebuilt from the batches if that is corrupt) and
 *       cut to the log's offsets; the high-watermark checkpoint is read for the log to clamp.</li>
 * </ol>
 *
 * <p>Runs before the log is published, on the opening thread only.
 */
final class LogLoader {
    private static final Logger LOG = Logger.getLogger(LogLoader.class.getName());

    /**
     * A loaded log, ready for appends.
     *
     * @param segments       at least one segment; the last one is active (its indexes accept entries)
     * @param logStartOffset first offset still readable: at or after the first segment's base offset, at most the
     *                       log end offset
     * @param logEndOffset   offset after the last record
     * @param recoveryPoint  offset below which data is on disk (here always the log end offset)
     * @param info           what recovery did
     * @param producerState  the idempotent-producer state as of the log end offset
     * @param epochs         the leader epoch history, without entries beyond the log end or before the log start
     * @param highWatermark  the checkpointed high watermark, if any; not yet clamped to the log's offsets
     */
    record LoadedLog(LogSegments segments, long logStartOffset, long logEndOffset, long recoveryPoint,
                     RecoveryInfo info, ProducerStateManager producerState, LeaderEpochHistory epochs,
                     OptionalLong highWatermark) {
    }

    private final Path dir;
    private final TopicPartition tp;
    private final LogConfig config;
    private final long nowMs;
    private long checkpointedRecoveryPoint;
    private OptionalLong checkpointedLogStartOffset;
    private int segmentsRecovered;
    private int indexesRebuilt;
    private long bytesTruncated;
    private long bytesValidated;
    private long batchesValidated;
    private ProducerStateLoader producerStateLoader;
    /** Base offsets of the segments {@link SwapRecovery} put in place: their transaction indexes are rebuilt. */
    private List<Long> swapped = List.of();

    private LogLoader(Path dir, TopicPartition tp, LogConfig config, long nowMs) {
        this.dir = dir;
        this.tp = tp;
        this.config = config;
        this.nowMs = nowMs;
    }

    /**
     * Loads (and if necessary recovers) the log in {@code dir}, creating the directory and a first empty segment
     * if there is none.
     *
     * @throws LogCorruptionException if the log holds damage that truncation must not repair
     * @throws IOException            if the files cannot be read or written
     */
    static LoadedLog load(Path dir, TopicPartition tp, LogConfig config, long nowMs) throws IOException {
        return new LogLoader(dir, tp, config, nowMs).load();
    }

    private LoadedLog load() throws IOException {
        Files.createDirectories(dir);
        removeStrayFiles();
        Optional<CleanShutdownMarker> marker = CleanShutdownMarker.read(dir);
        CleanShutdownMarker.delete(dir);
        OptionalLong checkpoint = OffsetCheckpointFile.RECOVERY_POINT.read(dir);
        checkpointedRecoveryPoint = checkpoint.orElse(0);
        checkpointedLogStartOffset = OffsetCheckpointFile.LOG_START_OFFSET.read(dir);

        List<LogSegment> segments = new ArrayList<>();
        try {
            for (long baseOffset : segmentBaseOffsets())
                segments.add(LogSegment.open(dir, baseOffset, config));
            return load(segments, marker, checkpoint);
        } catch (IOException | RuntimeException | Error e) {
            for (LogSegment s : segments)
                s.closeHandles();
            throw e;
        }
    }

    private LoadedLog load(List<LogSegment> list, Optional<CleanShutdownMarker> marker, OptionalLong checkpoint)
            throws IOException {
        LogSegments segments = new LogSegments();
        int n = list.size();
        LogSegment lastSegment = n == 0 ? null : list.get(n - 1);
        boolean trusted = marker.isPresent() && lastSegment != null
                && marker.get().activeSegmentBytes() == lastSegment.size();
        int firstToRecover = trusted ? n : indexOfSegmentHolding(list, checkpoint.orElse(0));
        // The segment holding the recovery point is validated from there on only, if the headers below it lead
        // there; otherwise whole, and then its transaction index is rebuilt from the producer state at its start,
        // so no snapshot beyond it may be used.
        OptionalInt tailPosition = firstToRecover < n ? tailPosition(list.get(firstToRecover), checkpoint.orElse(0))
                : OptionalInt.empty();
        long snapshotBound = firstToRecover < n && tailPosition.isEmpty()
                ? Math.min(checkpoint.orElse(0), list.get(firstToRecover).baseOffset())
                : checkpoint.orElse(0);
        for (long base : swapped)
            snapshotBound = Math.min(snapshotBound, base);
        producerStateLoader = new ProducerStateLoader(dir, tp, snapshotBound, nowMs);
        if (list.isEmpty()) {
            if (checkpoint.isPresent() && checkpoint.getAsLong() > 0)
                throw new LogCorruptionException(tp, dir, -1, "the recovery point checkpoint says offsets below "
                        + checkpoint.getAsLong() + " were flushed, but there are no segment files; refusing to"
                        + " restart the partition at offset 0");
            if (checkpointedLogStartOffset.orElse(0) > 0)
                throw new LogCorruptionException(tp, dir, -1, "the log start offset checkpoint says the log starts at "
                        + checkpointedLogStartOffset.getAsLong() + ", but there are no segment files; refusing to"
                        + " restart the partition at offset 0");
            LogSegment first = LogSegment.open(dir, 0, config);
            list.add(first);
            segments.add(first);
            return new LoadedLog(segments, 0, 0, 0, new RecoveryInfo(marker.isPresent(), 0, 0, 0, 0, 0, 0),
                    producerStateLoader.finish(segments, 0, 0), loadEpochHistory(segments, 0, 0),
                    OffsetCheckpointFile.HIGH_WATERMARK.read(dir));
        }

        if (marker.isPresent() && !trusted)
            LOG.warning(() -> "Partition " + tp + ": the clean-shutdown marker does not match the last segment "
                    + lastSegment.logFile() + " (recorded " + marker.get().activeSegmentBytes() + " bytes, found "
                    + lastSegment.size() + "); recovering as after a crash");

        long previousNextOffset = -1;
        for (int i = 0; i < n; i++) {
            LogSegment segment = list.get(i);
            boolean last = i == n - 1;
            boolean rebuildTxnIndex = i >= firstToRecover || swapped.contains(segment.baseOffset());
            boolean recover = rebuildTxnIndex;
            long nextOffset = -1;
            if (!recover) {
                try {
                    if (!segment.indexFilesExisted())
                        throw new CorruptIndexException("index files of " + segment.logFile() + " are missing");
                    nextOffset = segment.verifyIndexesAndReadNextOffset();
                    if (last && trusted && nextOffset != marker.get().logEndOffset()) {
                        long found = nextOffset;
                        LOG.warning(() -> "Partition " + tp + ": the clean-shutdown marker records log end offset "
                                + marker.get().logEndOffset() + " but the files end at " + found
                                + "; recovering the last segment");
                        trusted = false;
                        recover = true;
                        segmentsRecovered++;
                    }
                } catch (CorruptIndexException e) {
                    LOG.warning(() -> "Partition " + tp + ": rebuilding the indexes of " + segment.logFile() + ": "
                            + e.getMessage());
                    recover = true;
                    indexesRebuilt++;
                }
            } else {
                segmentsRecovered++;
            }
            if (i == firstToRecover && tailPosition.isPresent())
                nextOffset = recoverTail(segment, last, tailPosition.getAsInt());
            else if (recover)
                nextOffset = recoverSegment(segment, last, rebuildTxnIndex);
            else
                producerStateLoader.replayUnscanned(segment, nextOffset);
            if (previousNextOffset > segment.baseOffset())
                throw new LogCorruptionException(tp, segment.logFile(), 0, "the segment starts at offset "
                        + segment.baseOffset() + " but the previous segment already holds offsets up to "
                        + (previousNextOffset - 1));
            if (recover)
                segment.flushData();
            if (!last)
                segment.onBecomeInactiveSegment();
            previousNextOffset = nextOffset;
            segments.add(segment);
        }

        lastSegment.makeActive();
        lastSegment.initRollingBase(nowMs);
        long logEndOffset = previousNextOffset;
        if (logEndOffset < checkpointedRecoveryPoint && bytesTruncated == 0)
            LOG.warning(() -> "Partition " + tp + ": the log ends at offset " + logEndOffset + " but the recovery point"
                    + " checkpoint says offsets below " + checkpointedRecoveryPoint + " were flushed: segment files"
                    + " holding acknowledged data are missing");
        OffsetCheckpointFile.RECOVERY_POINT.write(dir, logEndOffset);
        long logStartOffset = logStartOffset(list.get(0).baseOffset(), logEndOffset);
        ProducerStateManager producers = producerStateLoader.finish(segments, logStartOffset, logEndOffset);
        RecoveryInfo info = new RecoveryInfo(trusted && segmentsRecovered == 0, n, segmentsRecovered, indexesRebuilt,
                bytesTruncated, bytesValidated, batchesValidated);
        LOG.fine(() -> "Partition " + tp + ": loaded " + n + " segments, log start offset " + logStartOffset
                + ", log end offset " + logEndOffset + ", " + info);
        return new LoadedLog(segments, logStartOffset, logEndOffset, logEndOffset, info, producers,
                loadEpochHistory(segments, logStartOffset, logEndOffset), OffsetCheckpointFile.HIGH_WATERMARK.read(dir));
    }

    /**
     * The leader epoch history from its checkpoint, or rebuilt from the batches' partition leader epochs if the
     * checkpoint is corrupt (a missing one means no epoch was ever recorded). Entries starting beyond the log end
     * (written ahead of records a crash lost, or left by a truncation the crash interrupted) are dropped, and the
     * first entry is moved up to the log start; the checkpoint is rewritten if that changed anything.
     */
    private LeaderEpochHistory loadEpochHistory(LogSegments segments, long logStartOffset, long logEndOffset)
            throws IOException {
        List<EpochEntry> entries;
        boolean rebuilt = false;
        try {
            entries = LeaderEpochCheckpoint.read(dir);
        } catch (LeaderEpochCheckpoint.CorruptCheckpointException e) {
            LOG.warning(() -> "Partition " + tp + ": " + e.getMessage() + "; rebuilding the leader epoch history"
                    + " from the partition leader epochs of the batches");
            entries = epochsOfBatches(segments);
            rebuilt = true;
        }
        LeaderEpochHistory history = new LeaderEpochHistory(dir, entries);
        boolean changed = history.truncateFromEnd(logEndOffset + 1);
        changed |= history.truncateFromStart(logStartOffset);
        if (changed || rebuilt)
            history.write();
        return history;
    }

    /** Each epoch found in the batches with the base offset of its first batch; batches without an epoch are skipped. */
    private static List<EpochEntry> epochsOfBatches(LogSegments segments) {
        List<EpochEntry> entries = new ArrayList<>();
        for (LogSegment segment : segments.all()) {
            segment.forEachBatchFrom(segment.baseOffset(), (batch, position) -> {
                int epoch = batch.partitionLeaderEpoch();
                if (epoch >= 0 && (entries.isEmpty() || epoch > entries.get(entries.size() - 1).epoch()))
                    entries.add(new EpochEntry(epoch, batch.baseOffset()));
            });
        }
        return entries;
    }

    /**
     * The checkpointed log start offset if it lies beyond the first segment's base offset. It never lies beyond
     * the log end offset unless storage lost fsynced records (a start is checkpointed only once the records below
     * it are durable); the log then starts at its end, so that no offset is readable twice.
     */
    private long logStartOffset(long firstBaseOffset, long logEndOffset) {
        long start = Math.max(firstBaseOffset, checkpointedLogStartOffset.orElse(0));
        if (start > logEndOffset) {
            LOG.warning(() -> "Partition " + tp + ": the log start offset checkpoint says the log starts at " + start
                    + " but the log ends at " + logEndOffset + ": fsynced records are missing; the log now starts"
                    + " at its end");
            return logEndOffset;
        }
        return start;
    }

    /**
     * Validates {@code segment} and rebuilds its offset and time indexes, and its transaction index if
     * {@code rebuildTxnIndex} (a segment above the recovery point; a segment below it whose other indexes are
     * damaged keeps its transaction index, which was fsynced with it); truncates a torn tail of the last segment;
     * throws for any other damage. Returns the segment's next offset.
     */
    private long recoverSegment(LogSegment segment, boolean last, boolean rebuildTxnIndex) throws IOException {
        producerStateLoader.rebuildingTxnIndexOf(rebuildTxnIndex ? segment : null);
        RecordBatchScanner.Result result = segment.recover(producerStateLoader, rebuildTxnIndex);
        producerStateLoader.rebuildingTxnIndexOf(null);
        return handleDamage(segment, last, 0, result);
    }

    /**
     * Where in {@code segment} the batch starting at the checkpointed recovery point begins, if the segment holds
     * data below it and the headers of that data lead there ({@link LogSegment#reindexBelow}, which also rebuilds
     * the indexes of that part); empty if the segment is to be recovered whole. A segment a swap put in place is
     * always recovered whole: its transaction index is rebuilt.
     */
    private OptionalInt tailPosition(LogSegment segment, long recoveryPoint) throws IOException {
        if (recoveryPoint <= segment.baseOffset() || swapped.contains(segment.baseOffset()))
            return OptionalInt.empty();
        OptionalInt position = segment.reindexBelow(recoveryPoint);
        if (position.isEmpty())
            LOG.warning(() -> "Partition " + tp + ": the batches of " + segment.logFile() + " below the recovery point "
                    + recoveryPoint + " do not lead to it; validating the whole segment");
        return position;
    }

    /**
     * Recovers the segment holding the recovery point from byte {@code position} on, where the batch starting at
     * the recovery point begins: the batches below it were fsynced before the checkpoint was written and are
     * trusted, as the segments below it are (the {@link LogScrubber} verifies them once the segment is sealed).
     * Producer state is brought to the recovery point from the headers below it, and the transaction index keeps
     * its entries below it. Damage is handled as by {@link #recoverSegment}. Returns the segment's next offset.
     */
    private long recoverTail(LogSegment segment, boolean last, int position) throws IOException {
        producerStateLoader.replayBelow(segment, checkpointedRecoveryPoint);
        producerStateLoader.rebuildingTxnIndexOf(segment);
        RecordBatchScanner.Result result = segment.recoverFrom(position, checkpointedRecoveryPoint,
                producerStateLoader);
        producerStateLoader.rebuildingTxnIndexOf(null);
        return handleDamage(segment, last, position, result);
    }

    /**
     * Counts what a scan from byte {@code from} validated, then truncates a torn tail of the last segment or throws
     * for any other damage it found. Returns the segment's next offset.
     */
    private long handleDamage(LogSegment segment, boolean last, int from, RecordBatchScanner.Result result)
            throws IOException {
        bytesValidated += segment.size() - from;
        batchesValidated += result.validBatches();
        if (result.damage().isEmpty())
            return result.nextOffset();
        RecordBatchScanner.Damage damage = result.damage().get();
        if (!last)
            throw new LogCorruptionException(tp, segment.logFile(), damage.position(), damage.description()
                    + " (batch header claims offsets " + damage.claimedOffsetRange() + "); the segment is followed"
                    + " by newer segments, so this is not a torn write at the end of the log");
        Optional<RecordBatchScanner.FoundBatch> later =
                segment.findValidBatchAfter(damage.position() + 1, result.nextOffset());
        if (later.isPresent())
            throw new LogCorruptionException(tp, segment.logFile(), damage.position(), damage.description()
                    + " (batch header claims offsets " + damage.claimedOffsetRange() + "); a valid batch with offsets "
                    + later.get().baseOffset() + ".." + later.get().lastOffset() + " follows at position "
                    + later.get().position() + ", so this is damage inside the log, not a torn tail");
        int dropped = segment.size() - result.validBytes();
        String flushedNote = result.nextOffset() < checkpointedRecoveryPoint
                ? " These offsets were below the recovery point " + checkpointedRecoveryPoint + ", so they had been"
                  + " fsynced: the storage lost or damaged acknowledged data."
                : "";
        LOG.log(Level.WARNING, () -> String.format("Partition %s: truncating a damaged tail of %d bytes at position %d"
                        + " of segment %s: %s. Offsets from %d on are dropped (the damaged batch header claims %s);"
                        + " the log end offset is now %d.%s", tp, dropped, damage.position(), segment.logFile(),
                damage.description(), result.nextOffset(), damage.claimedOffsetRange(), result.nextOffset(),
                flushedNote));
        segment.truncateTo(result.validBytes(), result.nextOffset());
        bytesTruncated += dropped;
        return result.nextOffset();
    }

    /** Position in {@code list} of the segment holding {@code offset} (0 if it is below the first segment). */
    private static int indexOfSegmentHolding(List<LogSegment> list, long offset) {
        int index = 0;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).baseOffset() <= offset)
                index = i;
        }
        return index;
    }

    /** Base offsets of the {@code .log} files, ascending; files with malformed names are skipped with a warning. */
    private List<Long> segmentBaseOffsets() throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + LogFiles.LOG_SUFFIX)) {
            for (Path file : files) {
                OptionalLong base = LogFiles.baseOffsetOf(file.getFileName().toString(), LogFiles.LOG_SUFFIX);
                if (base.isPresent())
                    offsets.add(base.getAsLong());
                else
                    LOG.warning(() -> "Partition " + tp + ": ignoring " + file + ", not a segment file name");
            }
        }
        offsets.sort(null);
        return offsets;
    }

    private void removeStrayFiles() throws IOException {
        List<Path> swapFiles = new ArrayList<>();
        boolean removed = false;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(LogFiles.DELETED_SUFFIX) || name.endsWith(LogFiles.CLEANED_SUFFIX)
                        || name.endsWith(LogFiles.TMP_SUFFIX)) {
                    LOG.fine(() -> "Partition " + tp + ": removing leftover " + file);
                    removed |= Files.deleteIfExists(file);
                } else if (name.endsWith(LogFiles.SWAP_SUFFIX)) {
                    swapFiles.add(file);
                }
            }
        }
        if (!swapFiles.isEmpty())
            swapped = new SwapRecovery(dir, tp).complete(swapFiles);
        if (removeOrphanedIndexes() || removed)
            LogFiles.fsyncDirectory(dir);
    }

    /** Removes index files whose data file is missing; returns whether it removed any. */
    private boolean removeOrphanedIndexes() throws IOException {
        boolean removed = false;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path index : files) {
                String name = index.getFileName().toString();
                if (!name.endsWith(LogFiles.INDEX_SUFFIX) && !name.endsWith(LogFiles.TIME_INDEX_SUFFIX)
                        && !name.endsWith(LogFiles.TXN_INDEX_SUFFIX))
                    continue;
                String prefix = name.substring(0, name.lastIndexOf('.'));
                if (!Files.exists(dir.resolve(prefix + LogFiles.LOG_SUFFIX))) {
                    LOG.warning(() -> "Partition " + tp + ": removing orphaned index " + index + " (no data file)");
                    removed |= Files.deleteIfExists(index);
                }
            }
        }
        return removed;
    }
}
