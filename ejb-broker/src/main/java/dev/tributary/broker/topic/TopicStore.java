package dev.tributary.broker.topic;

import java.util.List;
import java.util.Map;

/**
 * Durable topic metadata. Implementations commit each call before returning, so that the registry can order
 * metadata changes against file-system changes (create and add partitions: metadata first, files after; delete:
 * metadata first, files after).
 */
public interface TopicStore {

    List<TopicRecord> loadAll();

    /**
     * Stores a new topic with its partitions' leadership, in one transaction.
     *
     * @throws org.apache.kafka.common.errors.TopicExistsException if a topic of that name is already stored
     */
    void insert(TopicRecord topic, List<PartitionLeadership> partitions);

    /** @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException if there is no such topic */
    void replaceConfigOverrides(String topic, Map<String, String> overrides);

    /**
     * Grows the topic to {@code partitions} and stores the new partitions' leadership, in one transaction.
     *
     * @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException if there is no such topic
     */
    void replacePartitionCount(String topic, int partitions, List<PartitionLeadership> added);

    /**
     * Gives partitions that have no leadership yet (topics stored before schema V7) this one; a partition that got
     * one meanwhile keeps it.
     */
    void insertMissingLeadership(List<PartitionLeadership> partitions);

    /** @return whether a topic was deleted */
    boolean delete(String topic);
}
