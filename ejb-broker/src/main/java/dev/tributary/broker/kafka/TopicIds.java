package dev.tributary.broker.kafka;

import dev.tributary.broker.topic.TopicRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Kafka topic ids for the registry's topics, which have none yet: each topic's id is a name-based (type 3) UUID of
 * its name, so it is stable across restarts and the same on every listener.
 *
 * <p>Known limitation: a topic deleted and re-created under the same name gets the same id, so clients cannot tell
 * the two apart by id (Kafka gives the new topic a new id). Real ids belong in the topic metadata.
 */
final class TopicIds {

    private final TopicRegistry topics;
    private final ConcurrentHashMap<Uuid, String> namesById = new ConcurrentHashMap<>();

    TopicIds(TopicRegistry topics) {
        this.topics = topics;
    }

    static Uuid idOf(String topicName) {
        UUID uuid = UUID.nameUUIDFromBytes(("tributary-topic:" + topicName).getBytes(StandardCharsets.UTF_8));
        // A type-3 UUID has version bits set, so it is never one of Kafka's reserved ids (0 and 1).
        return new Uuid(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
    }

    Uuid id(String topicName) {
        Uuid id = idOf(topicName);
        namesById.putIfAbsent(id, topicName);
        return id;
    }

    /** The existing topic with this id. */
    Optional<String> name(Uuid id) {
        String cached = namesById.get(id);
        if (cached == null) {
            for (String name : topics.topicNames()) {
                if (id(name).equals(id)) {
                    cached = name;
                    break;
                }
            }
        }
        return cached != null && exists(cached) ? Optional.of(cached) : Optional.empty();
    }

    private boolean exists(String name) {
        try {
            topics.partitionCount(name);
            return true;
        } catch (UnknownTopicOrPartitionException e) {
            return false;
        }
    }
}
