package dev.tributary.broker.log;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * A per-partition file holding one offset, replaced atomically (see {@link LogFiles#writeAtomically}): after a crash
 * it holds the old or the new offset, never a mix. Format: a version line ({@code 0}) and the offset, in decimal.
 */
final class OffsetCheckpointFile {

    /**
     * {@code recovery-point-offset-checkpoint}: every offset below it is known to have been fsynced, so after an
     * unclean shutdown the loader validates only segments at or after it. It may lag the real durable offset (it is
     * written on roll, on {@link PartitionLog#flush()} and on close, not on every group commit); lagging only makes
     * recovery scan more.
     */
    static final OffsetCheckpointFile RECOVERY_POINT = new OffsetCheckpointFile(LogFiles.RECOVERY_POINT_FILE);

    /**
     * {@code log-start-offset-checkpoint}: the log start offset that {@link PartitionLog#advanceLogStartOffset} set
     * inside a segment (Kafka's DeleteRecords). Written before the new start is published, so deleted records never
     * come back after a crash. A start that follows from segment deletion needs no checkpoint: the first segment's
     * base offset says it.
     */
    static final OffsetCheckpointFile LOG_START_OFFSET = new OffsetCheckpointFile(LogFiles.LOG_START_OFFSET_FILE);

    /**
     * {@code high-watermark-checkpoint}: the high watermark at the last flush or close (Kafka keeps it per data
     * directory in {@code replication-offset-checkpoint}). A log that does not take its high watermark from its log
     * end starts from it on open, so a replica never shows consumers records it did not know to be replicated. It
     * may lag; lagging only holds records back until the replication layer raises the high watermark again.
     */
    static final OffsetCheckpointFile HIGH_WATERMARK = new OffsetCheckpointFile(LogFiles.HIGH_WATERMARK_FILE);

    private static final String VERSION = "0";

    private final String fileName;

    private OffsetCheckpointFile(String fileName) {
        this.fileName = fileName;
    }

    void write(Path logDir, long offset) throws IOException {
        LogFiles.writeAtomically(logDir.resolve(fileName), VERSION + "\n" + offset + "\n");
    }

    /**
     * The checkpointed offset, or empty if there is no checkpoint or it cannot be parsed (a garbled checkpoint is
     * treated as missing; each use says what that costs).
     */
    OptionalLong read(Path logDir) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(logDir.resolve(fileName), StandardCharsets.UTF_8);
        } catch (NoSuchFileException | MalformedInputException e) {
            return OptionalLong.empty();
        }
        if (lines.size() < 2 || !VERSION.equals(lines.get(0).trim()))
            return OptionalLong.empty();
        try {
            long offset = Long.parseLong(lines.get(1).trim());
            return offset >= 0 ? OptionalLong.of(offset) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
