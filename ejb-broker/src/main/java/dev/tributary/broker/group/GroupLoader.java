package dev.tributary.broker.group;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the groups a coordinator serves from their stores: every group with committed offsets (an Empty classic
 * group, unless it is a consumer group) and every stored consumer group with its members, epochs and assignments.
 * Classic groups keep their membership in memory only: their members rejoin a new coordinator.
 *
 * @throws OffsetStoreException        if the offsets cannot be read
 * @throws ConsumerGroupStoreException if the consumer groups cannot be read
 */
final class GroupLoader {

    private final OffsetStore offsets;
    private final ConsumerGroupStore consumerGroups;

    GroupLoader(OffsetStore offsets, ConsumerGroupStore consumerGroups) {
        this.offsets = offsets;
        this.consumerGroups = consumerGroups;
    }

    /** Every stored group, by group id, with its committed offsets. */
    Map<String, Group> loadAll() {
        Map<String, Map<TopicPartition, CommittedOffset>> committed = offsets.loadAll();
        Map<String, Group> loaded = new TreeMap<>();
        consumerGroups.loadAll().forEach((groupId, stored) -> {
            ConsumerGroup group = new ConsumerGroup(groupId);
            group.reset(stored.snapshot(), stored.version());
            loaded.put(groupId, group);
        });
        committed.forEach((groupId, groupOffsets) -> loaded.computeIfAbsent(groupId, ClassicGroup::new)
                .offsets().putAll(groupOffsets));
        return loaded;
    }

    /** Gives up this coordinator's claims on groups now placed on other brokers ({@link OffsetStore#resign}). */
    void resign(Collection<String> groupIds) {
        offsets.resign(groupIds);
    }
}
