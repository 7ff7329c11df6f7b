package dev.tributary.broker.records;

import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * A record to append. Without a partition the topic's partitioner chooses; without a timestamp the broker's clock
 * gives the create time. A null value is a tombstone, as in Kafka.
 */
public record NewRecord(OptionalInt partition, byte[] key, byte[] value, List<Header> headers, OptionalLong timestamp) {

    public NewRecord {
        headers = List.copyOf(headers);
    }

    /** The record as a batch holds it, stamped {@code now} unless it has a timestamp of its own. */
    public SimpleRecord toSimpleRecord(long now) {
        return new SimpleRecord(timestamp.orElse(now), key, value,
                headers.isEmpty() ? Record.EMPTY_HEADERS : headers.toArray(Header[]::new));
    }
}
