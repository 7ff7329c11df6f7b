package dev.tributary.broker.records;

import java.util.List;
import org.apache.kafka.common.header.Header;

/** A record read back from a partition log. */
public record StoredRecord(long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {
}
