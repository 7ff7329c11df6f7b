package dev.tributary.broker.group;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * A consistent snapshot of one group (taken under the group's lock): membership and committed offsets.
 * {@code protocolName} is the protocol (assignor) selected for the current generation.
 */
public record GroupView(String groupId, GroupState state, Optional<String> protocolType,
                        Optional<String> protocolName, int generationId, Optional<String> leaderId,
                        List<MemberView> members, Map<TopicPartition, CommittedOffset> offsets) {

    public GroupView {
        members = List.copyOf(members);
        offsets = Map.copyOf(offsets);
    }
}
