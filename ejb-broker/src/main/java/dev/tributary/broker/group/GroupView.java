package dev.tributary.broker.group;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * A consistent snapshot of one group (taken under the group's lock): membership and committed offsets.
 * {@code protocolName} is the protocol (assignor) selected for the current generation; for a consumer group
 * ({@link GroupType#CONSUMER}) it is the server-side assignor, {@code generationId} the group epoch, and there is no
 * leader.
 */
public record GroupView(String groupId, GroupType type, GroupState state, Optional<String> protocolType,
                        Optional<String> protocolName, int generationId, Optional<String> leaderId,
                        List<MemberView> members, Map<TopicPartition, CommittedOffset> offsets) {

    public GroupView {
        members = List.copyOf(members);
        offsets = Map.copyOf(offsets);
    }
}
