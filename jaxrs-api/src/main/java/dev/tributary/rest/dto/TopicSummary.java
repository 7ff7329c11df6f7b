package dev.tributary.rest.dto;

/** One entry of {@code GET /topics}. */
public record TopicSummary(String name, int partitions, short replicationFactor) {
}
