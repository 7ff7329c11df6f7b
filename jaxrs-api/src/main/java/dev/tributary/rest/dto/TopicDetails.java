package dev.tributary.rest.dto;

import dev.tributary.broker.topic.TopicDescription;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /topics/{name}}: the Kafka topic id (in Kafka's own base64 form, as its tools print it), configs and
 * the state of every partition.
 *
 * @param sizeBytes       bytes on disk of the topic's replicas held by the answering broker: the log segments of each
 *                        (records as stored, indexes left out), summed over those replicas. On a lone broker that is
 *                        the topic's size; in a cluster, this broker's share ({@code GET /stats/brokers} has every
 *                        broker's disk use)
 * @param configs         every config with its effective value
 * @param configOverrides the configs set on this topic, as set (also those equal to the default); the others
 *                        follow the broker's defaults
 */
public record TopicDetails(String name, String topicId, int partitionCount, short replicationFactor,
                           String createdAt, long sizeBytes, Map<String, String> configs,
                           Map<String, String> configOverrides, List<PartitionDetails> partitions) {

    public static TopicDetails of(TopicDescription topic) {
        return new TopicDetails(topic.name(), topic.topicId().toString(), topic.partitions().size(),
                topic.replicationFactor(), topic.createdAt().toString(), topic.sizeBytesHere(),
                new TreeMap<>(topic.configs()), new TreeMap<>(topic.configOverrides()),
                topic.partitions().stream().map(PartitionDetails::of).toList());
    }
}
