package dev.tributary.broker.topic;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A topic with its effective configuration and the live state of each partition. */
public record TopicDescription(String name, short replicationFactor, Map<String, String> configs,
                               Instant createdAt, List<PartitionState> partitions) {

    public TopicDescription {
        configs = Map.copyOf(configs);
        partitions = List.copyOf(partitions);
    }
}
