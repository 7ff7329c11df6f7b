package dev.tributary.broker.group;

import dev.tributary.broker.log.LogConfig;
import dev.tributary.broker.topic.PartitionLeadership;
import dev.tributary.broker.topic.TopicDescription;
import dev.tributary.broker.topic.TopicMetadata;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Topics as a test sets them: a name, an id and a partition count each. Thread-safe. */
final class FakeTopics implements TopicMetadata {

    private final Map<String, TopicDescription> topics = new TreeMap<>();
    private final Map<String, Integer> counts = new TreeMap<>();

    /** Creates (or re-creates, with a new id) a topic; returns its id. */
    synchronized Uuid create(String name, int partitions) {
        Uuid id = Uuid.randomUuid();
        topics.put(name, new TopicDescription(name, id, (short) 1, Map.of(), Map.of(), Instant.EPOCH, List.of()));
        counts.put(name, partitions);
        return id;
    }

    synchronized void addPartitions(String name, int partitions) {
        counts.put(name, partitions);
    }

    synchronized void delete(String name) {
        topics.remove(name);
        counts.remove(name);
    }

    synchronized Uuid id(String name) {
        return topics.get(name).topicId();
    }

    @Override
    public int brokerId() {
        return 0;
    }

    @Override
    public synchronized List<String> topicNames() {
        return List.copyOf(topics.keySet());
    }

    @Override
    public synchronized Optional<String> topicName(Uuid topicId) {
        return topics.values().stream().filter(t -> t.topicId().equals(topicId)).map(TopicDescription::name)
                .findFirst();
    }

    @Override
    public synchronized TopicDescription describe(String name) {
        TopicDescription topic = topics.get(name);
        if (topic == null) {
            throw new UnknownTopicOrPartitionException("no topic " + name + " (test)");
        }
        return topic;
    }

    @Override
    public LogConfig config(String topic) {
        throw new UnsupportedOperationException("not used by the group coordinator");
    }

    @Override
    public synchronized int partitionCount(String topic) {
        describe(topic);
        return counts.get(topic);
    }

    @Override
    public PartitionLeadership leadership(String topic, int partition) {
        throw new UnsupportedOperationException("not used by the group coordinator");
    }

    @Override
    public List<PartitionLeadership> leadership() {
        throw new UnsupportedOperationException("not used by the group coordinator");
    }
}
