package dev.tributary.broker.transaction;

/** Where a committed transaction's record landed. */
public record CommittedRecord(String topic, int partition, long offset, long timestamp) {
}
