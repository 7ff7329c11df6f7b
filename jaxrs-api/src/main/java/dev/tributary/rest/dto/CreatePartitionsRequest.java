package dev.tributary.rest.dto;

/** Body of {@code POST /topics/{name}/partitions}: the topic's new total partition count. */
public record CreatePartitionsRequest(Integer count) {
}
