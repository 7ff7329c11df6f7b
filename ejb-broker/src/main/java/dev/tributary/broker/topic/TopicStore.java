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

    /** @throws org.apache.kafka.common.errors.TopicExistsException if a topic of that name is already stored */
    void insert(TopicRecord topic);

    /** @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException if there is no such topic */
    void replaceConfigOverrides(String topic, Map<String, String> overrides);

    /** @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException if there is no such topic */
    void replacePartitionCount(String topic, int partitions);

    /** @return whether a topic was deleted */
    boolean delete(String topic);
}
