package dev.tributary.broker.topic;

import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * What the metadata store keeps about a topic: its id, its shape and the config overrides an operator set (not the
 * effective values, so that a changed default reaches every topic that did not override it).
 *
 * @param topicId Kafka's topic id: random, given once at creation, so a topic deleted and re-created under the same
 *                name is a different topic to every client that still holds the old id
 */
public record TopicRecord(String name, Uuid topicId, int partitions, short replicationFactor,
                          Map<String, String> configOverrides, Instant createdAt) {

    public TopicRecord {
        configOverrides = Map.copyOf(configOverrides);
    }

    public TopicRecord withConfigOverrides(Map<String, String> overrides) {
        return new TopicRecord(name, topicId, partitions, replicationFactor, overrides, createdAt);
    }

    public TopicRecord withPartitions(int count) {
        return new TopicRecord(name, topicId, count, replicationFactor, configOverrides, createdAt);
    }
}
