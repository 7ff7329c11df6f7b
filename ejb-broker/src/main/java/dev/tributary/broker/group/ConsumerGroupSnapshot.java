package dev.tributary.broker.group;

import java.util.List;
import java.util.Map;

/**
 * Everything durable about a consumer-protocol group (what Kafka writes as consumer group records to
 * {@code __consumer_offsets}): the group epoch, the target assignment, every member with its epochs and
 * partitions, and the topic metadata the target was computed for. A coordinator that loads it after a restart or
 * a move carries on where the previous one stopped: members keep their epochs and partitions, and no partition is
 * handed to a second member before its owner revoked it. Immutable.
 */
public record ConsumerGroupSnapshot(String groupId, int groupEpoch, TargetAssignment target,
                                    List<ConsumerGroupMember> members,
                                    Map<String, SubscribedTopic> subscriptionMetadata) {

    public ConsumerGroupSnapshot {
        members = List.copyOf(members);
        subscriptionMetadata = Map.copyOf(subscriptionMetadata);
    }
}
