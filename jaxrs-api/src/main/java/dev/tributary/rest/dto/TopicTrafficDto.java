package dev.tributary.rest.dto;

/** Records and bytes appended to ({@code In}) and served from ({@code Out}) one topic since the broker started. */
public record TopicTrafficDto(String topic, long recordsIn, long bytesIn, long recordsOut, long bytesOut) {
}
