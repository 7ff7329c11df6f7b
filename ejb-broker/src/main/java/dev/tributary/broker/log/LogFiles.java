package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Names and directory operations of the on-disk layout, as Kafka lays it out (Kafka's {@code LogFileUtils}).
 *
 * <pre>
 * &lt;dataDir&gt;/&lt;topic&gt;-&lt;partition&gt;/00000000000000000000.log         record batches (RecordBatch v2)
 *                                    00000000000000000000.index       sparse offset index
 *                                    00000000000000000000.timeindex   time index
 *                                    00000000000000000000.snapshot    producer state at that offset
 *                                    recovery-point-offset-checkpoint offset below which data is known flushed
 *                                    log-start-offset-checkpoint      log start offset set by DeleteRecords
 *                                    high-watermark-checkpoint        high watermark, for a log that does not
 *                                                                     take it from its log end offset
 *                                    leader-epoch-checkpoint          leader epochs and where each started
 *                                    .clean-shutdown                  present only after a clean close
 * </pre>
 */
public final class LogFiles {
    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    static final String TXN_INDEX_SUFFIX = ".txnindex";
    /** Producer-state snapshots, named by the offset up to which they hold the state. */
    static final String SNAPSHOT_SUFFIX = ".snapshot";
    /** Kafka renames a segment's files with this suffix before removing them. */
    static final String DELETED_SUFFIX = ".deleted";
    /** A segment being written by compaction, not part of the log yet (see {@link LocalLog#replaceSegments}). */
    static final String CLEANED_SUFFIX = ".cleaned";
    /** A compacted segment committed to replace older ones (see {@link LocalLog#replaceSegments}). */
    static final String SWAP_SUFFIX = ".swap";
    /** Our own atomic-write temporaries. */
    static final String TMP_SUFFIX = ".tmp";

    static final String RECOVERY_POINT_FILE = "recovery-point-offset-checkpoint";
    static final String LOG_START_OFFSET_FILE = "log-start-offset-checkpoint";
    static final String HIGH_WATERMARK_FILE = "high-watermark-checkpoint";
    static final String LEADER_EPOCH_FILE = "leader-epoch-checkpoint";
    static final String CLEAN_SHUTDOWN_FILE = ".clean-shutdown";

    private static final Pattern SEGMENT_PREFIX = Pattern.compile("\\d{20}");
    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final boolean WINDOWS =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private LogFiles() {
    }

    /** The 20-digit, zero-padded file name prefix of the segment starting at {@code baseOffset}. */
    static String filenamePrefix(long baseOffset) {
        return String.format("%020d", baseOffset);
    }

    static Path logFile(Path dir, long baseOffset) {
        return dir.resolve(filenamePrefix(baseOffset) + LOG_SUFFIX);
    }

    static Path offsetIndexFile(Path dir, long baseOffset) {
        return dir.resolve(filenamePrefix(baseOffset) + INDEX_SUFFIX);
    }

    static Path timeIndexFile(Path dir, long baseOffset) {
        return dir.resolve(filenamePrefix(baseOffset) + TIME_INDEX_SUFFIX);
    }

    static Path txnIndexFile(Path dir, long baseOffset) {
        return dir.resolve(filenamePrefix(baseOffset) + TXN_INDEX_SUFFIX);
    }

    static Path producerSnapshotFile(Path dir, long offset) {
        return dir.resolve(filenamePrefix(offset) + SNAPSHOT_SUFFIX);
    }

    /** {@code file} with {@code suffix} appended to its name ({@code ""}: {@code file} itself). */
    static Path withSuffix(Path file, String suffix) {
        return suffix.isEmpty() ? file : file.resolveSibling(file.getFileName() + suffix);
    }

    /**
     * The base offset encoded in a segment file name such as {@code 00000000000000001234.log}, or empty if the
     * name does not have the 20-digit form followed by {@code suffix}.
     */
    static OptionalLong baseOffsetOf(String fileName, String suffix) {
        if (!fileName.endsWith(suffix))
            return OptionalLong.empty();
        String prefix = fileName.substring(0, fileName.length() - suffix.length());
        if (!SEGMENT_PREFIX.matcher(prefix).matches())
            return OptionalLong.empty();
        try {
            return OptionalLong.of(Long.parseLong(prefix));
        } catch (NumberFormatException e) {
            return OptionalLong.empty(); // more than Long.MAX_VALUE
        }
    }

    /** The directory name of a partition's log: {@code <topic>-<partition>}, as Kafka names it. */
    static String dirName(TopicPartition tp) {
        return tp.topic() + "-" + tp.partition();
    }

    /**
     * Parses a log directory name. The topic may itself contain '-', so the partition is what follows the last
     * '-'. Names that are not {@code <legal topic>-<non-negative int>} (for example Kafka's
     * {@code <topic>-<p>.<id>-delete} directories of logs being deleted) yield empty.
     */
    static Optional<TopicPartition> parseDirName(String name) {
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1)
            return Optional.empty();
        String topic = name.substring(0, dash);
        String partition = name.substring(dash + 1);
        if (!LEGAL_TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals(".."))
            return Optional.empty();
        for (int i = 0; i < partition.length(); i++) {
            if (!Character.isDigit(partition.charAt(i)))
                return Optional.empty();
        }
        try {
            return Optional.of(new TopicPartition(topic, Integer.parseInt(partition)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Replaces {@code target} with {@code content} so that after a crash it holds either the old or the new
     * content, never a mix: write a temporary file, fsync it, rename it over the target, fsync the directory.
     * Public for the other small files of a data directory (the broker's {@code meta.properties}).
     */
    public static void writeAtomically(Path target, String content) throws IOException {
        writeAtomically(target, ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@link #writeAtomically(Path, String)} for binary content; consumes {@code content}. */
    static void writeAtomically(Path target, ByteBuffer content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + TMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (content.hasRemaining())
                ch.write(content);
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        fsyncDirectory(target.getParent());
    }

    /**
     * Makes creations, renames and deletions of entries in {@code dir} durable. A no-op on Windows, where a
     * directory cannot be opened for fsync (Kafka's {@code Utils.flushDir} does the same).
     */
    static void fsyncDirectory(Path dir) throws IOException {
        if (WINDOWS)
            return;
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Deletes {@code path} and, if it is a directory, everything below it. Missing paths are ignored. */
    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path))
            return;
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException)
                    return FileVisitResult.CONTINUE;
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null)
                    throw exc;
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
