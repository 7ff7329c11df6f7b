package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * {@code cleaner-offset-checkpoint} in the data directory: for every compacted partition, the offset up to which the
 * {@link LogCleaner} has cleaned its log — where its dirty part begins — so that a restart does not clean it all
 * again. Kafka's format: a version line ({@code 0}), the number of entries, then one {@code <topic> <partition>
 * <offset>} line each. Replaced atomically ({@link LogFiles#writeAtomically}).
 *
 * <p>Losing it costs only work: without an entry, a partition is cleaned from its log start offset, which is always
 * correct. So a file that cannot be parsed is read as empty, with a warning.
 *
 * <p>Not thread-safe: its owner ({@link LogCleanerManager}) serializes reads and writes.
 */
final class CleanerCheckpoint {
    static final String FILE_NAME = "cleaner-offset-checkpoint";
    private static final Logger LOG = Logger.getLogger(CleanerCheckpoint.class.getName());
    private static final String VERSION = "0";

    private final Path file;

    CleanerCheckpoint(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    /** The checkpointed offsets; empty if there is no file or it is damaged. */
    Map<TopicPartition, Long> read() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new HashMap<>();
        } catch (MalformedInputException e) {
            return damaged("it is not UTF-8 text");
        }
        if (lines.size() < 2 || !VERSION.equals(lines.get(0).trim()))
            return damaged("its first line is not version " + VERSION);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        try {
            int count = Integer.parseInt(lines.get(1).trim());
            if (count != lines.size() - 2)
                return damaged("it announces " + count + " entries but holds " + (lines.size() - 2));
            for (String line : lines.subList(2, lines.size())) {
                String[] fields = line.trim().split(" ");
                if (fields.length != 3)
                    return damaged("line '" + line + "' is not '<topic> <partition> <offset>'");
                long offset = Long.parseLong(fields[2]);
                if (offset < 0)
                    return damaged("line '" + line + "' has a negative offset");
                offsets.put(new TopicPartition(fields[0], Integer.parseInt(fields[1])), offset);
            }
        } catch (NumberFormatException e) {
            return damaged("a number in it is malformed (" + e.getMessage() + ")");
        }
        return offsets;
    }

    /** Replaces the file's content with {@code offsets}. */
    void write(Map<TopicPartition, Long> offsets) throws IOException {
        StringBuilder content = new StringBuilder(VERSION).append('\n').append(offsets.size()).append('\n');
        offsets.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(TopicPartition::topic)
                        .thenComparingInt(TopicPartition::partition)))
                .forEach(e -> content.append(e.getKey().topic()).append(' ').append(e.getKey().partition())
                        .append(' ').append(e.getValue()).append('\n'));
        LogFiles.writeAtomically(file, content.toString());
    }

    private Map<TopicPartition, Long> damaged(String why) {
        LOG.warning(() -> "Ignoring " + file + ": " + why + ". Compacted partitions are cleaned again from their log"
                + " start offsets");
        return new HashMap<>();
    }
}
