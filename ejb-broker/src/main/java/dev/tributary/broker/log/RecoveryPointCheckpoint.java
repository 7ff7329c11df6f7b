package dev.tributary.broker.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The per-partition file {@code recovery-point-offset-checkpoint}: every offset below the value it holds is known
 * to have been fsynced. After an unclean shutdown the loader validates only segments at or after it.
 *
 * <p>Format: a version line ({@code 0}) and the offset, in decimal. Written atomically (see
 * {@link LogFiles#writeAtomically}). It may lag the real durable offset (it is written on roll, on
 * {@link PartitionLog#flush()} and on close, not on every group commit); lagging only makes recovery scan more.
 */
final class RecoveryPointCheckpoint {
    private static final String VERSION = "0";

    private RecoveryPointCheckpoint() {
    }

    static void write(Path logDir, long recoveryPoint) throws IOException {
        LogFiles.writeAtomically(logDir.resolve(LogFiles.RECOVERY_POINT_FILE), VERSION + "\n" + recoveryPoint + "\n");
    }

    /**
     * The checkpointed offset, or empty if there is no checkpoint or it cannot be parsed (a garbled checkpoint is
     * treated as missing: recovery then scans every segment, which is slow but safe).
     */
    static OptionalLong read(Path logDir) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(logDir.resolve(LogFiles.RECOVERY_POINT_FILE), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (java.nio.charset.MalformedInputException e) {
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
