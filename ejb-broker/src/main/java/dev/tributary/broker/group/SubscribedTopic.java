package dev.tributary.broker.group;

import java.util.Objects;
import org.apache.kafka.common.Uuid;

/**
 * A topic some member of a consumer group subscribes to, as the group's target assignment was computed for it
 * (Kafka's subscription metadata): when a topic's id or partition count changes (added partitions, a topic deleted
 * and created again), the group computes a new target.
 */
public record SubscribedTopic(String name, Uuid id, int partitions) {

    public SubscribedTopic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(id, "id");
    }
}
