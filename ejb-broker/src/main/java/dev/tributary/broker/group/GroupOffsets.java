package dev.tributary.broker.group;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The cache of one group's committed offsets: exactly what the {@link OffsetStore} holds for the group, because
 * every change is written to the store first and applied here only when the store succeeded. Guarded by the
 * group's monitor.
 */
final class GroupOffsets {

    private final Map<TopicPartition, CommittedOffset> offsets = new HashMap<>();

    Map<TopicPartition, CommittedOffset> all() {
        return Map.copyOf(offsets);
    }

    boolean isEmpty() {
        return offsets.isEmpty();
    }

    void putAll(Map<TopicPartition, CommittedOffset> committed) {
        offsets.putAll(committed);
    }

    void removeAll(Collection<TopicPartition> partitions) {
        partitions.forEach(offsets::remove);
    }

    void clear() {
        offsets.clear();
    }
}
