package dev.tributary.broker.log;

import java.nio.file.Path;
import java.time.Instant;
import org.apache.kafka.common.TopicPartition;

/**
 * A batch of a partition's log that failed its check (framing, magic, CRC or offsets) after it was written: the
 * damage the {@link LogScrubber} or a read that decodes records found in this replica. While a log carries one
 * ({@link PartitionLog#corruption()}), the replica serves nothing of the partition.
 *
 * @param partition         the partition
 * @param segmentFile       the data file of the segment holding the batch
 * @param segmentBaseOffset that segment's base offset
 * @param position          byte position in the segment file where the check failed
 * @param offset            the first offset that cannot be served: the offset after the last good batch before the
 *                          damage, as far as the finder saw
 * @param problem           what is wrong, with the offsets the batch's header claims if it could be read
 * @param foundBy           what found it, e.g. "the log scrubber"
 * @param foundAt           when
 */
public record CorruptBatch(TopicPartition partition, Path segmentFile, long segmentBaseOffset, int position,
                           long offset, String problem, String foundBy, Instant foundAt) {

    /** One line for logs, health checks and error responses: where, from which offset, what, found by whom. */
    public String describe() {
        return "corrupt data at offset " + offset + ": the batch at position " + position + " of segment "
                + segmentFile.getFileName() + " fails its check (" + problem + "); found by " + foundBy + " at "
                + foundAt;
    }
}
