package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.logging.Logger;

/**
 * Completes or undoes, when a log is opened, a segment replacement that a crash interrupted
 * ({@link LocalLog#replaceSegments}). The names of the new segment's files tell how far it got:
 *
 * <ul>
 *   <li>{@code .cleaned} files: the new segment was not committed yet. The loader deletes them (before this runs);
 *       the old segments stay.</li>
 *   <li>A {@code .swap} data file, {@code <base>.log.swap}: the replacement was committed. The plain segment files
 *       whose base offset lies in the new segment's offset range — from {@code <base>} up to the offset after its
 *       last batch — belong to the replaced segments and are deleted; then the new segment's {@code .swap} files
 *       get their plain names, the data file last. If its index files are missing (never renamed, or already
 *       renamed and then taken for old ones), the loader rebuilds them. Its transaction index is rebuilt in any
 *       case (the loader replays the producer state up to the segment for that, see
 *       {@link LogLoader}): a missing one cannot be told from one that never had an entry, and one renamed
 *       already cannot be told from the first replaced segment's, so none found can be trusted.</li>
 *   <li>An index {@code .swap} file with no {@code .swap} data file beside it was being renamed, to {@code .swap}
 *       before the commit or back to its plain name after it; it is deleted. Before the commit the old segments
 *       stay; after it the new data file has its plain name and the loader rebuilds its indexes.</li>
 * </ul>
 *
 * <p>Every replaced segment that holds data has its base offset below the new segment's last offset:
 * {@link LocalLog#replaceSegments} refuses a new segment that does not reach into the last of them (the cleaner
 * keeps that segment's last batch, empty if need be). So the replaced segments are exactly recognised, and the
 * segment after them, which starts at or after the new segment's end, is never taken for one.
 *
 * <p>The {@code .swap} data file is validated completely before anything is deleted: it was fsynced before it got
 * that name, so damage means the storage lost data, and with the old segments possibly half deleted nothing may be
 * guessed; {@link LogCorruptionException} is thrown. Running again after a crash during this recovery finishes it.
 *
 * <p>Runs in the loader, before the log is published.
 */
final class SwapRecovery {
    private static final Logger LOG = Logger.getLogger(SwapRecovery.class.getName());
    private static final List<String> SEGMENT_SUFFIXES =
            List.of(LogFiles.LOG_SUFFIX, LogFiles.INDEX_SUFFIX, LogFiles.TIME_INDEX_SUFFIX, LogFiles.TXN_INDEX_SUFFIX);

    private final Path dir;
    private final TopicPartition tp;

    SwapRecovery(Path dir, TopicPartition tp) {
        this.dir = dir;
        this.tp = tp;
    }

    /**
     * Completes the committed replacements among {@code swapFiles} (the {@code .swap} files of the directory) and
     * deletes the index {@code .swap} files of uncommitted ones, as the class comment describes.
     *
     * @return the base offsets of the segments it completed, whose transaction indexes the loader must rebuild
     * @throws LogCorruptionException if a committed new segment is damaged
     */
    List<Long> complete(List<Path> swapFiles) throws IOException {
        List<Long> committed = new ArrayList<>();
        for (Path file : swapFiles) {
            OptionalLong base = LogFiles.baseOffsetOf(file.getFileName().toString(),
                    LogFiles.LOG_SUFFIX + LogFiles.SWAP_SUFFIX);
            if (base.isPresent())
                committed.add(base.getAsLong());
        }
        for (long base : committed)
            deleteReplacedSegmentFiles(base, nextOffsetOfSwappedSegment(base));
        LogFiles.fsyncDirectory(dir);
        for (Path file : swapFiles) {
            String name = file.getFileName().toString();
            if (name.endsWith(LogFiles.LOG_SUFFIX + LogFiles.SWAP_SUFFIX))
                continue;
            if (committed.contains(baseOffsetOfSwapFile(name))) {
                Files.move(file, plainName(file));
            } else {
                LOG.warning(() -> "Partition " + tp + ": removing " + file + ", an index of a segment replacement"
                        + " that was not committed, or whose data file already has its final name");
                Files.deleteIfExists(file);
            }
        }
        for (long base : committed) {
            Path data = LogFiles.withSuffix(LogFiles.logFile(dir, base), LogFiles.SWAP_SUFFIX);
            Files.move(data, plainName(data));
        }
        LogFiles.fsyncDirectory(dir);
        return committed;
    }

    /** The offset after the last batch of the committed new segment at {@code base}, which must be undamaged. */
    private long nextOffsetOfSwappedSegment(long base) throws IOException {
        Path file = LogFiles.withSuffix(LogFiles.logFile(dir, base), LogFiles.SWAP_SUFFIX);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            RecordBatchScanner.Result result =
                    new RecordBatchScanner(channel, (int) channel.size(), base).scan((batch, position) -> { });
            if (result.damage().isPresent()) {
                RecordBatchScanner.Damage damage = result.damage().get();
                throw new LogCorruptionException(tp, file, damage.position(), damage.description() + " in the new"
                        + " segment of an interrupted segment replacement, which was fsynced before it was"
                        + " committed; the segments it replaces may be partly deleted already");
            }
            return result.nextOffset();
        }
    }

    /** Deletes the plain segment files with base offsets from {@code base} (inclusive) to {@code nextOffset}. */
    private void deleteReplacedSegmentFiles(long base, long nextOffset) throws IOException {
        long end = Math.max(nextOffset, base + 1);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                for (String suffix : SEGMENT_SUFFIXES) {
                    OptionalLong offset = LogFiles.baseOffsetOf(file.getFileName().toString(), suffix);
                    if (offset.isPresent() && offset.getAsLong() >= base && offset.getAsLong() < end) {
                        LOG.info(() -> "Partition " + tp + ": completing an interrupted segment replacement; removing"
                                + " the replaced " + file);
                        Files.delete(file);
                    }
                }
            }
        }
    }

    private static long baseOffsetOfSwapFile(String name) {
        String plain = name.substring(0, name.length() - LogFiles.SWAP_SUFFIX.length());
        for (String suffix : SEGMENT_SUFFIXES) {
            OptionalLong base = LogFiles.baseOffsetOf(plain, suffix);
            if (base.isPresent())
                return base.getAsLong();
        }
        return -1;
    }

    private static Path plainName(Path swapFile) {
        String name = swapFile.getFileName().toString();
        return swapFile.resolveSibling(name.substring(0, name.length() - LogFiles.SWAP_SUFFIX.length()));
    }
}
