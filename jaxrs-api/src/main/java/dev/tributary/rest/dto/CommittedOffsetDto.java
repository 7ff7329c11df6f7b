package dev.tributary.rest.dto;

/** A committed offset with the partition's high watermark and the lag; both absent if the partition is gone. */
public record CommittedOffsetDto(String topic, int partition, long committedOffset, Long highWatermark, Long lag,
                                 String metadata, String committedAt) {
}
