package dev.tributary.rest.dto;

import java.util.List;

/** Records from one partition and the offset to pass as {@code offset} next time. */
public record RecordsPage(String topic, int partition, List<ConsumedRecord> records, long nextOffset) {
}
