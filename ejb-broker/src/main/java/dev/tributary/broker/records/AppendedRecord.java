package dev.tributary.broker.records;

/** Where an appended record landed. */
public record AppendedRecord(int partition, long offset, long timestamp) {
}
