package dev.tributary.broker.topic;

import dev.tributary.broker.log.LogConfig;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The topics of the cluster and the leadership of their partitions, as this broker knows them now (Kafka's
 * {@code MetadataCache}): read-only, for everything that answers questions about topics rather than changing them
 * or reading their data.
 *
 * <p>Every method is lock-free and sits on hot paths (each produce and fetch names topics and leader epochs). Each
 * call reads one consistent snapshot of one topic; two calls may see two snapshots, with an administrative change
 * or a refresh from the metadata store in between. Changes come from {@link TopicAdministration}.
 */
public interface TopicMetadata {

    /** This broker's id: the view is its own, e.g. {@link #describe} gives offsets only of the replicas it holds. */
    int brokerId();

    /** The names of every topic, sorted. */
    List<String> topicNames();

    /** The name of the existing topic with this id; empty once that topic is deleted. */
    Optional<String> topicName(Uuid topicId);

    /**
     * A topic with the live state of each partition: offsets are this broker's replica's, {@code -1} where it holds
     * none (ask the leader).
     *
     * @throws UnknownTopicOrPartitionException if the topic does not exist
     */
    TopicDescription describe(String name);

    /**
     * The topic's effective configuration: its overrides over the broker's defaults.
     *
     * @throws UnknownTopicOrPartitionException if the topic does not exist
     */
    LogConfig config(String topic);

    /** @throws UnknownTopicOrPartitionException if the topic does not exist */
    int partitionCount(String topic);

    /**
     * The known leadership of one partition.
     *
     * @throws UnknownTopicOrPartitionException if the topic or the partition does not exist
     */
    PartitionLeadership leadership(String topic, int partition);

    /** The known leadership of every partition of every topic. */
    List<PartitionLeadership> leadership();
}
