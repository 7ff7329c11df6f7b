package dev.tributary.broker.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The per-partition clean-shutdown marker (Kafka's {@code CleanShutdownFileHandler}, kept per log here). Written
 * by {@link PartitionLog#close()} after everything is flushed; removed by the loader on open, before the first
 * append, so that a crash after the next open is never mistaken for a clean shutdown.
 *
 * <p>It records what the log looked like at close, so the loader can notice files changed behind its back
 * (which voids the marker) without scanning: the log end offset and the size of the last segment's data file.
 *
 * @param logEndOffset       log end offset at close
 * @param activeSegmentBytes size of the last segment's {@code .log} file at close
 */
record CleanShutdownMarker(long logEndOffset, long activeSegmentBytes) {
    private static final String VERSION = "0";

    void write(Path logDir) throws IOException {
        LogFiles.writeAtomically(logDir.resolve(LogFiles.CLEAN_SHUTDOWN_FILE),
                VERSION + "\n" + logEndOffset + "\n" + activeSegmentBytes + "\n");
    }

    /**
     * Reads the marker, empty if absent. A marker that exists but cannot be parsed is returned as
     * {@code (-1, -1)}, which never matches the files, so the log is recovered.
     */
    static Optional<CleanShutdownMarker> read(Path logDir) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(logDir.resolve(LogFiles.CLEAN_SHUTDOWN_FILE), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (java.nio.charset.MalformedInputException e) {
            return Optional.of(new CleanShutdownMarker(-1, -1));
        }
        try {
            if (lines.size() >= 3 && VERSION.equals(lines.get(0).trim()))
                return Optional.of(new CleanShutdownMarker(Long.parseLong(lines.get(1).trim()),
                        Long.parseLong(lines.get(2).trim())));
        } catch (NumberFormatException e) {
            // fall through
        }
        return Optional.of(new CleanShutdownMarker(-1, -1));
    }

    /** Removes the marker durably; a no-op if it is absent. */
    static void delete(Path logDir) throws IOException {
        if (Files.deleteIfExists(logDir.resolve(LogFiles.CLEAN_SHUTDOWN_FILE)))
            LogFiles.fsyncDirectory(logDir);
    }
}
