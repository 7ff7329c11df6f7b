package dev.tributary.broker.topic;

import dev.tributary.broker.log.LogConfig;
import dev.tributary.broker.log.PartitionLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicIdException;

/** {@link TopicMetadata} read from the snapshots of {@link HostedTopics}; holds no state of its own. */
final class TopicMetadataCache implements TopicMetadata {

    private final HostedTopics topics;

    TopicMetadataCache(HostedTopics topics) {
        this.topics = topics;
    }

    @Override
    public int brokerId() {
        return topics.brokerId();
    }

    @Override
    public List<String> topicNames() {
        return topics.names();
    }

    @Override
    public Optional<String> topicName(Uuid topicId) {
        try {
            return Optional.of(topics.get(topicId).name());
        } catch (UnknownTopicIdException e) {
            return Optional.empty();
        }
    }

    @Override
    public TopicDescription describe(String name) {
        HostedTopic topic = topics.get(name);
        List<PartitionState> partitions = new ArrayList<>(topic.partitionCount());
        for (int p = 0; p < topic.partitionCount(); p++) {
            partitions.add(stateOf(topic, p));
        }
        return new TopicDescription(name, topic.record().topicId(), topic.record().replicationFactor(),
                topic.config().toMap(), topic.record().configOverrides(), topic.record().createdAt(), partitions);
    }

    /**
     * A partition as clients see it: offsets and size are this broker's replica's, -1 where it holds none (ask the
     * leader).
     */
    private PartitionState stateOf(HostedTopic topic, int partition) {
        PartitionLeadership leadership = topic.leadership()[partition];
        PartitionLog log = topic.logs()[partition];
        boolean local = leadership.replicas().contains(topics.brokerId());
        if (local && log == null) {
            String reason = topics.offlineReason(new TopicPartition(topic.name(), partition));
            return new PartitionState(partition, -1, leadership.replicas(), List.of(), -1, -1, -1, -1,
                    Optional.of(reason));
        }
        Optional<String> offline = leadership.hasLeader() ? Optional.empty()
                : Optional.of("no in-sync replica is alive to lead it");
        if (local && leadership.leader() == topics.brokerId())
            offline = log.corruption().map(damage -> "its leader's replica holds " + damage.describe());
        if (!local)
            return new PartitionState(partition, leadership.leader(), leadership.replicas(), leadership.isr(), -1, -1,
                    -1, -1, offline);
        return new PartitionState(partition, leadership.leader(), leadership.replicas(), leadership.isr(),
                log.logStartOffset(), log.logEndOffset(), log.highWatermark(), log.sizeInBytes(), offline,
                topics.compaction(log));
    }

    @Override
    public LogConfig config(String topic) {
        return topics.get(topic).config();
    }

    @Override
    public int partitionCount(String topic) {
        return topics.get(topic).partitionCount();
    }

    @Override
    public PartitionLeadership leadership(String topic, int partition) {
        HostedTopic hosted = topics.get(topic);
        hosted.checkPartition(partition);
        return hosted.leadership()[partition];
    }

    @Override
    public List<PartitionLeadership> leadership() {
        List<PartitionLeadership> result = new ArrayList<>();
        for (HostedTopic topic : topics.all())
            result.addAll(Arrays.asList(topic.leadership()));
        return result;
    }
}
