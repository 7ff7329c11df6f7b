package dev.tributary.broker.group;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * Who owns each partition of a consumer group: the one member that has it assigned or has not yet revoked it
 * (Kafka's partition epochs). This is the invariant the consumer group protocol exists for: a partition is never
 * owned by two members at once, so no two members consume it at once. {@link #take} refuses to break it.
 *
 * <p>Guarded by the group's monitor.
 */
final class PartitionOwnership {

    private final Map<Uuid, Map<Integer, String>> owners = new HashMap<>();

    /**
     * Records {@code memberId} as the owner of {@code partitions}.
     *
     * @throws IllegalStateException if another member owns one of them (a coordinator bug: nothing is changed)
     */
    void take(String memberId, Assignment partitions) {
        partitions.forEach((topicId, partition) -> {
            String owner = owner(topicId, partition).orElse(memberId);
            if (!owner.equals(memberId)) {
                throw new IllegalStateException("Partition " + partition + " of topic " + topicId + " is owned by "
                        + owner + "; it cannot be given to " + memberId);
            }
        });
        partitions.forEach((topicId, partition) -> owners.computeIfAbsent(topicId, id -> new HashMap<>())
                .put(partition, memberId));
    }

    /** Forgets {@code memberId}'s ownership of {@code partitions} (those another member owns are left alone). */
    void release(String memberId, Assignment partitions) {
        partitions.forEach((topicId, partition) -> {
            Map<Integer, String> topic = owners.get(topicId);
            if (topic != null && topic.remove(partition, memberId) && topic.isEmpty()) {
                owners.remove(topicId);
            }
        });
    }

    Optional<String> owner(Uuid topicId, int partition) {
        Map<Integer, String> topic = owners.get(topicId);
        return topic == null ? Optional.empty() : Optional.ofNullable(topic.get(partition));
    }

    /** Whether a member other than {@code memberId} owns the partition. */
    boolean ownedByOther(String memberId, Uuid topicId, int partition) {
        return owner(topicId, partition).filter(owner -> !owner.equals(memberId)).isPresent();
    }

    void clear() {
        owners.clear();
    }
}
