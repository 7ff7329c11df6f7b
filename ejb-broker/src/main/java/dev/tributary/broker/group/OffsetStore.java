package dev.tributary.broker.group;

import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Durable committed offsets. Every call is atomic and committed before it returns: the coordinator answers an
 * OffsetCommit only after its offsets are stored, and updates its cache only after the store succeeded, so a
 * committed offset that a client saw acknowledged survives a broker restart.
 *
 * <p>Implementations are called concurrently for different groups and never concurrently for the same group
 * (the coordinator holds the group's lock).
 *
 * @throws OffsetStoreException from any method when the store cannot be reached or the write failed; nothing
 *         of that call was stored
 * @throws CoordinationLostException from a write when the store fences coordinators and another broker
 *         coordinates the group now; nothing was stored
 */
public interface OffsetStore {

    /** Every group's committed offsets; read once, when the coordinator opens. */
    Map<String, Map<TopicPartition, CommittedOffset>> loadAll();

    /** Inserts or replaces the given offsets of one group, all in one transaction. */
    void commit(String groupId, Map<TopicPartition, CommittedOffset> offsets);

    /** Removes the given partitions' offsets of one group; absent ones are ignored. */
    void delete(String groupId, Collection<TopicPartition> partitions);

    /** Removes every offset of one group. */
    void deleteGroup(String groupId);

    /**
     * This coordinator no longer coordinates these groups: a store that fences coordinators lets another broker
     * take them at its first write, rather than once this broker's session expires.
     */
    default void resign(Collection<String> groupIds) {
    }
}
