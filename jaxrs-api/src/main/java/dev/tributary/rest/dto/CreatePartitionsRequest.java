package dev.tributary.rest.dto;

import dev.tributary.rest.WholeNumber;

/** Body of {@code POST /topics/{name}/partitions}: the topic's new total partition count. */
public record CreatePartitionsRequest(WholeNumber count) {
}
