package dev.tributary.rest.dto;

import dev.tributary.broker.topic.TopicDescription;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /topics/{name}}: the Kafka topic id (in Kafka's own base64 form, as its tools print it), configs and
 * the state of every partition.
 *
 * @param configs         every config with its effective value
 * @param configOverrides the configs set on this topic, as set (also those equal to the default); the others
 *                        follow the broker's defaults
 */
public record TopicDetails(String name, String topicId, int partitionCount, short replicationFactor,
                           String createdAt, Map<String, String> configs, Map<String, String> configOverrides,
                           List<PartitionDetails> partitions) {

    public static TopicDetails of(TopicDescription topic) {
        return new TopicDetails(topic.name(), topic.topicId().toString(), topic.partitions().size(),
                topic.replicationFactor(),
                topic.createdAt().toString(), new TreeMap<>(topic.configs()), new TreeMap<>(topic.configOverrides()),
                topic.partitions().stream().map(PartitionDetails::of).toList());
    }
}
