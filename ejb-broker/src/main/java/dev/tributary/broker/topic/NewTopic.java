package dev.tributary.broker.topic;

import java.util.Map;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/** A request to create a topic, validated on construction by Kafka's own rules. */
public record NewTopic(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    /** Kafka has no hard limit; this one keeps a typo from creating a million directories. */
    public static final int MAX_PARTITIONS = 10_000;

    public NewTopic {
        if (name == null) {
            throw new InvalidTopicException("A topic needs a name");
        }
        Topic.validate(name);
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new InvalidPartitionsException(
                    "partitions must be between 1 and " + MAX_PARTITIONS + ", was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new InvalidReplicationFactorException("replicationFactor must be at least 1, was " + replicationFactor);
        }
        configs = configs == null ? Map.of() : Map.copyOf(configs);
    }
}
