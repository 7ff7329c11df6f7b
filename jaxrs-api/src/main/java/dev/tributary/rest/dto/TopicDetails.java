package dev.tributary.rest.dto;

import dev.tributary.broker.topic.TopicDescription;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code GET /topics/{name}}: effective configs and the state of every partition. */
public record TopicDetails(String name, int partitionCount, short replicationFactor, String createdAt,
                           Map<String, String> configs, List<PartitionDetails> partitions) {

    public static TopicDetails of(TopicDescription topic) {
        return new TopicDetails(topic.name(), topic.partitions().size(), topic.replicationFactor(),
                topic.createdAt().toString(), new TreeMap<>(topic.configs()),
                topic.partitions().stream().map(PartitionDetails::of).toList());
    }
}
