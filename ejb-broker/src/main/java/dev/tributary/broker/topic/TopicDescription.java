package dev.tributary.broker.topic;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/** A topic with its id, its effective configuration and the live state of each partition. */
public record TopicDescription(String name, Uuid topicId, short replicationFactor, Map<String, String> configs,
                               Instant createdAt, List<PartitionState> partitions) {

    public TopicDescription {
        configs = Map.copyOf(configs);
        partitions = List.copyOf(partitions);
    }
}
