package dev.tributary.broker.log;

import org.apache.kafka.common.errors.KafkaStorageException;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;

/**
 * Hands out the producer ids of idempotent producers, unique across restarts and crashes of the broker.
 *
 * <p>Ids are handed out in blocks of {@value #BLOCK_SIZE}. Before the first id of a block is handed out, the end
 * of the block is written durably to {@value #FILE_NAME} in the log directory (temporary file, fsync, rename,
 * directory fsync). So the file always holds a value above every id ever handed out, and the next run, after a
 * clean stop or a crash, starts there: an id is never handed out twice. A crash forfeits the rest of one block,
 * which is cheap (2<sup>63</sup> ids), and one fsync per thousand producers is negligible. This is Kafka's scheme
 * (a broker takes blocks of 1000 ids that the controller records durably), kept on the broker's own directory,
 * which {@link LogManager} locks for this broker alone. Brokers of a cluster reserve their blocks in the shared
 * metadata database instead ({@link #ProducerIdManager(ProducerIdBlocks)}).
 *
 * <p>Why not the clock (ids seeded from the start time): a clock that steps back (NTP correction, a VM restored
 * from a snapshot) or a run that issued ids faster than the seed advances would hand out an id again, and a
 * partition that still holds the old producer's state would then fence or deduplicate a different producer.
 *
 * <p>If the file cannot be read or parsed, no id is handed out ({@link KafkaStorageException}): a wrong guess could
 * repeat an id. The file is read on first use, so a broker without idempotent producers never touches it.
 *
 * <p>Thread-safe.
 */
public final class ProducerIdManager {
    private static final Logger LOG = Logger.getLogger(ProducerIdManager.class.getName());

    static final String FILE_NAME = "producer-id-block";
    /** Kafka's {@code ProducerIdsBlock} size. */
    static final int BLOCK_SIZE = 1000;
    private static final String VERSION = "0";

    private final Path file;
    private final ProducerIdBlocks blocks;
    /** Guarded by this. The next id to hand out; {@code next == blockEnd} means the block is used up. */
    private long next;
    /** Guarded by this. The end (exclusive) of the reserved block; 0 before the first reservation. */
    private long blockEnd;

    ProducerIdManager(Path logDir) {
        this.file = logDir.resolve(FILE_NAME);
        this.blocks = this::reserveInFile;
    }

    /** Ids from blocks reserved in {@code blocks}, such as the shared metadata database of a cluster. */
    public ProducerIdManager(ProducerIdBlocks blocks) {
        this.file = null;
        this.blocks = blocks;
    }

    /**
     * A producer id never handed out before by a broker on this data directory.
     *
     * @throws KafkaStorageException if the next block cannot be reserved durably; no id is handed out then
     */
    public synchronized long nextProducerId() {
        if (next == blockEnd) {
            long start = blocks.reserve(BLOCK_SIZE);
            next = start;
            blockEnd = start + BLOCK_SIZE;
            LOG.fine(() -> "Reserved producer ids " + start + " to " + (start + BLOCK_SIZE - 1));
        }
        return next++;
    }

    /** Called with this object's lock held. */
    private long reserveInFile(int size) {
        long start = blockEnd == 0 ? readReservedEnd() : blockEnd;
        if (start > Long.MAX_VALUE - size)
            throw new KafkaStorageException("Producer ids are exhausted: " + file + " says " + start);
        long end = start + size;
        try {
            LogFiles.writeAtomically(file, VERSION + "\n" + end + "\n");
        } catch (IOException e) {
            throw failure("Cannot reserve producer ids " + start + " to " + (end - 1) + " in " + file, e);
        }
        return start;
    }

    /** The end of the block the previous run reserved last, or 0 if no run ever did. */
    private long readReservedEnd() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (MalformedInputException e) {
            throw failure(file + " is not a producer-id block file", e);
        } catch (IOException e) {
            throw failure("Cannot read " + file, e);
        }
        try {
            if (lines.size() >= 2 && VERSION.equals(lines.get(0).trim())) {
                long end = Long.parseLong(lines.get(1).trim());
                if (end >= 0)
                    return end;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw failure(file + " does not hold a producer-id block end; it was damaged. Producer ids are not handed"
                + " out, since a guess could repeat one", null);
    }

    private static KafkaStorageException failure(String message, Exception cause) {
        LOG.severe(message + (cause == null ? "" : ": " + cause));
        return new KafkaStorageException(message, cause);
    }
}
