package dev.tributary.broker.topic;

import dev.tributary.broker.log.LogManager;
import dev.tributary.broker.log.PartitionLog;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The topics this broker knows, as snapshots ({@link HostedTopic}) by name and by id: the state that the read-only
 * view ({@link TopicMetadata}), the hosted replica logs ({@link HostedReplicas}) and topic administration share.
 *
 * <p>Reads are lock-free: a reader takes one topic's snapshot from a concurrent map and works on it, so a lookup on
 * the produce or fetch path never waits for an administrative change. Every change holds {@link #adminLock()}:
 * changes are rare, and ordering them keeps the metadata store, the data directory and the leadership listener in
 * step. Two lookups in a row may see two different snapshots; what must agree (an id and its log) is read from one.
 */
final class HostedTopics {

    private final int brokerId;
    private final LogManager logs;
    private final Map<String, HostedTopic> byName = new ConcurrentHashMap<>();
    /**
     * Updated with {@link #byName} under the admin lock. A lock-free reader may find an entry whose name was just
     * deleted or re-created: {@link #get(Uuid)} checks the topic's own id.
     */
    private final Map<Uuid, String> namesById = new ConcurrentHashMap<>();
    private final Object adminLock = new Object();

    HostedTopics(int brokerId, LogManager logs) {
        this.brokerId = brokerId;
        this.logs = logs;
    }

    /** The broker whose topics these are: it holds a log for the partitions that list it as a replica. */
    int brokerId() {
        return brokerId;
    }

    /** The one lock every change of the topics holds. Never held by a lookup. */
    Object adminLock() {
        return adminLock;
    }

    /** @throws UnknownTopicOrPartitionException if no topic has this name */
    HostedTopic get(String name) {
        HostedTopic topic = name == null ? null : byName.get(name);
        if (topic == null) {
            throw new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist");
        }
        return topic;
    }

    /**
     * The id may map to a name that was deleted and re-created meanwhile: the topic's own id decides.
     *
     * @throws UnknownTopicIdException if no topic has this id (any more)
     */
    HostedTopic get(Uuid topicId) {
        String name = topicId == null ? null : namesById.get(topicId);
        HostedTopic topic = name == null ? null : byName.get(name);
        if (topic == null || !topic.record().topicId().equals(topicId)) {
            throw new UnknownTopicIdException("No topic has id " + topicId);
        }
        return topic;
    }

    /** @return the topic, or {@code null} if none has this name */
    HostedTopic find(String name) {
        return byName.get(name);
    }

    boolean hasId(Uuid topicId) {
        return namesById.containsKey(topicId);
    }

    /** Every topic's current snapshot; weakly consistent, as the map's iteration is. */
    Collection<HostedTopic> all() {
        return byName.values();
    }

    List<String> names() {
        return byName.keySet().stream().sorted().toList();
    }

    /** Publishes {@code topic}'s new snapshot. Admin lock held. */
    void put(HostedTopic topic) {
        byName.put(topic.name(), topic);
        namesById.put(topic.record().topicId(), topic.name());
    }

    /** Forgets {@code topic}. Admin lock held. */
    void remove(HostedTopic topic) {
        byName.remove(topic.name());
        namesById.remove(topic.record().topicId());
    }

    /** What the log cleaner says of {@code log}: empty if its topic is not compacted. */
    Optional<CompactionState> compaction(PartitionLog log) {
        return logs.cleaner().status(log).map(CompactionState::of);
    }

    /** Why the log of a partition this broker holds a replica of could not be opened. */
    String offlineReason(TopicPartition partition) {
        return logs.offlinePartitions().getOrDefault(partition, "log unavailable");
    }
}
