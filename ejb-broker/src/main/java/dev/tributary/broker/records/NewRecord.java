package dev.tributary.broker.records;

import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Header;

/**
 * A record to append. Without a partition the topic's partitioner chooses; without a timestamp the broker's clock
 * gives the create time. A null value is a tombstone, as in Kafka.
 */
public record NewRecord(OptionalInt partition, byte[] key, byte[] value, List<Header> headers, OptionalLong timestamp) {

    public NewRecord {
        headers = List.copyOf(headers);
    }
}
