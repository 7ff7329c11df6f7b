package dev.tributary.jca.api;

import java.util.Objects;

/**
 * Where a sent record landed.
 *
 * <p>A record sent inside a transaction has no offset until the transaction commits: {@code send} then answers with
 * the partition the record will go to and {@link #UNKNOWN_OFFSET}, while {@code sendAsync} completes with the real
 * offset at commit.
 *
 * @param topic     the topic
 * @param partition the partition
 * @param offset    the record's offset in the partition, or {@link #UNKNOWN_OFFSET} before its transaction commits
 * @param timestamp the record's timestamp (create time, or log-append time if the topic says so)
 */
public record RecordMetadata(String topic, int partition, long offset, long timestamp) {

    /** The offset of a record whose transaction has not committed yet (Kafka's {@code UNKNOWN_OFFSET}). */
    public static final long UNKNOWN_OFFSET = -1;

    public RecordMetadata {
        Objects.requireNonNull(topic, "topic");
    }

    /** Whether the record is in the log: false only for a record of a transaction that has not committed yet. */
    public boolean hasOffset() {
        return offset != UNKNOWN_OFFSET;
    }
}
