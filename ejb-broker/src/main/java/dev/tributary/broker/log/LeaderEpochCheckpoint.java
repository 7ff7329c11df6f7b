package dev.tributary.broker.log;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code leader-epoch-checkpoint} file of a log directory, in Kafka's text format: a version line ({@code 0}),
 * the number of entries, then one {@code <epoch> <startOffset>} line per entry, oldest first. Replaced atomically
 * (see {@link LogFiles#writeAtomically}).
 */
final class LeaderEpochCheckpoint {
    private static final String VERSION = "0";

    /** The file cannot be parsed, or its entries do not increase; the caller rebuilds the history. */
    static final class CorruptCheckpointException extends Exception {
        private static final long serialVersionUID = 1L;

        CorruptCheckpointException(Path file, String reason) {
            super("Leader epoch checkpoint " + file + " is corrupt: " + reason);
        }
    }

    private LeaderEpochCheckpoint() {
    }

    static Path file(Path logDir) {
        return logDir.resolve(LogFiles.LEADER_EPOCH_FILE);
    }

    static void write(Path logDir, List<EpochEntry> entries) throws IOException {
        StringBuilder text = new StringBuilder(VERSION).append('\n').append(entries.size()).append('\n');
        for (EpochEntry entry : entries)
            text.append(entry.epoch()).append(' ').append(entry.startOffset()).append('\n');
        LogFiles.writeAtomically(file(logDir), text.toString());
    }

    /** The entries, or an empty list if there is no file (no epoch was ever recorded). */
    static List<EpochEntry> read(Path logDir) throws IOException, CorruptCheckpointException {
        Path file = file(logDir);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (CharacterCodingException e) {
            throw new CorruptCheckpointException(file, "not UTF-8 text");
        }
        if (lines.size() < 2 || !VERSION.equals(lines.get(0).trim()))
            throw new CorruptCheckpointException(file, "missing or unknown version line");
        List<EpochEntry> entries = new ArrayList<>();
        try {
            int count = Integer.parseInt(lines.get(1).trim());
            if (count < 0 || lines.size() != count + 2)
                throw new CorruptCheckpointException(file, "says " + count + " entries but has "
                        + (lines.size() - 2) + " lines after the header");
            for (String line : lines.subList(2, lines.size())) {
                String[] fields = line.trim().split(" ");
                if (fields.length != 2)
                    throw new CorruptCheckpointException(file, "malformed entry '" + line + "'");
                EpochEntry entry = new EpochEntry(Integer.parseInt(fields[0]), Long.parseLong(fields[1]));
                EpochEntry previous = entries.isEmpty() ? null : entries.get(entries.size() - 1);
                if (previous != null && (entry.epoch() <= previous.epoch()
                        || entry.startOffset() < previous.startOffset()))
                    throw new CorruptCheckpointException(file, "entry " + entry + " does not follow " + previous);
                entries.add(entry);
            }
        } catch (IllegalArgumentException e) { // NumberFormatException, or a negative epoch or offset
            throw new CorruptCheckpointException(file, e.getMessage());
        }
        return entries;
    }
}
