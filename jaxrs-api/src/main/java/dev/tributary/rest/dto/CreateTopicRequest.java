package dev.tributary.rest.dto;

import dev.tributary.rest.WholeNumber;
import jakarta.json.JsonObject;

/** Body of {@code POST /topics}. Partitions and replication factor default to 1. */
public record CreateTopicRequest(String name, WholeNumber partitions, WholeNumber replicationFactor,
                                 JsonObject configs) {
}
