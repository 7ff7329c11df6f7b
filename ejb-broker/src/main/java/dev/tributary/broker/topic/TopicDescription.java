package dev.tributary.broker.topic;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * A topic with its id, its configuration and the live state of each partition.
 *
 * @param configs         the effective configuration: every config, overridden or default
 * @param configOverrides the configs set on the topic, as they were set; one stays an override when its value
 *                        equals the default, as in Kafka (the default may change, the topic's value does not)
 */
public record TopicDescription(String name, Uuid topicId, short replicationFactor, Map<String, String> configs,
                               Map<String, String> configOverrides, Instant createdAt,
                               List<PartitionState> partitions) {

    public TopicDescription {
        configs = Map.copyOf(configs);
        configOverrides = Map.copyOf(configOverrides);
        partitions = List.copyOf(partitions);
    }

    /**
     * The bytes of the log segments of this topic's replicas that this broker holds (a partition it holds no replica
     * of adds nothing): on a lone broker the topic's size on disk; in a cluster this broker's share of it.
     */
    public long sizeBytesHere() {
        return partitions.stream().mapToLong(partition -> Math.max(0, partition.sizeBytes())).sum();
    }
}
