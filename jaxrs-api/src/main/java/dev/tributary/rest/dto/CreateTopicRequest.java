package dev.tributary.rest.dto;

import jakarta.json.JsonObject;

/** Body of {@code POST /topics}. Partitions and replication factor default to 1. */
public record CreateTopicRequest(String name, Integer partitions, Short replicationFactor, JsonObject configs) {
}
