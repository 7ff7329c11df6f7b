package dev.tributary.rest.dto;

/** Where one produced record landed. */
public record RecordPosition(int partition, long offset, long timestamp) {
}
