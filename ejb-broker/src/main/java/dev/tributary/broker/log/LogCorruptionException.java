package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;

import java.nio.file.Path;

/**
 * A partition log holds corrupt data that recovery must not repair by truncation: a damaged batch followed by
 * valid ones, damage in a segment that is followed by newer segments, or segments that contradict each other.
 * Truncating would silently drop acknowledged records, so the log is not opened; the caller takes this one
 * partition offline (see {@link LogManager#offlinePartitions()}) while the rest of the broker keeps serving.
 *
 * <p>Also what every read and write of an open log throws once a check found a corrupt batch in it
 * ({@link PartitionLog#corruption()}): the message names the partition, the first offset that cannot be served
 * and what is wrong.
 *
 * <p>Extends Kafka's {@link KafkaStorageException} so that the Kafka-protocol layer answers
 * {@code KAFKA_STORAGE_ERROR} for the partition.
 */
public class LogCorruptionException extends KafkaStorageException {
    private static final long serialVersionUID = 1L;

    private final transient TopicPartition topicPartition;
    private final transient Path file;
    private final long position;
    private final long offset;

    /**
     * @param topicPartition the partition whose log is corrupt
     * @param file           the damaged file (a segment's {@code .log}), or the log directory
     * @param position       byte position of the damage in {@code file}, or {@code -1} if not about one place
     * @param problem        what is wrong, in words an operator can act on
     */
    public LogCorruptionException(TopicPartition topicPartition, Path file, long position, String problem) {
        super("Log of partition " + topicPartition + " is corrupt" + (position >= 0 ? " at position " + position : "")
                + " of " + file + ": " + problem);
        this.topicPartition = topicPartition;
        this.file = file;
        this.position = position;
        this.offset = -1;
    }

    /** The log is open but carries {@code damage}: it serves nothing until the damage is removed. */
    public LogCorruptionException(CorruptBatch damage) {
        super("Partition " + damage.partition() + " holds " + damage.describe() + ". Its replica on this broker"
                + " serves nothing of the partition until the damage is removed");
        this.topicPartition = damage.partition();
        this.file = damage.segmentFile();
        this.position = damage.position();
        this.offset = damage.offset();
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Path file() {
        return file;
    }

    /** Byte position of the damage in {@link #file()}, or {@code -1}. */
    public long position() {
        return position;
    }

    /** The first offset that cannot be served, or {@code -1} if the log was not opened at all. */
    public long offset() {
        return offset;
    }
}
