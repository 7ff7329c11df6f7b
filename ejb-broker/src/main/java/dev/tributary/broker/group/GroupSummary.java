package dev.tributary.broker.group;

import java.util.Optional;

/** One line of the group list: what ListGroups tells, plus the member count. */
public record GroupSummary(String groupId, GroupType type, GroupState state, Optional<String> protocolType,
                           int members) {
}
