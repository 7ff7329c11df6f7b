package dev.tributary.broker.topic;

import java.time.Instant;
import java.util.Map;

/**
 * What the metadata store keeps about a topic: its shape and the config overrides an operator set (not the
 * effective values, so that a changed default reaches every topic that did not override it).
 */
public record TopicRecord(String name, int partitions, short replicationFactor, Map<String, String> configOverrides,
                          Instant createdAt) {

    public TopicRecord {
        configOverrides = Map.copyOf(configOverrides);
    }

    public TopicRecord withConfigOverrides(Map<String, String> overrides) {
        return new TopicRecord(name, partitions, replicationFactor, overrides, createdAt);
    }
}
