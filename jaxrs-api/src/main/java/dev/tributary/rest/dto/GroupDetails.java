package dev.tributary.rest.dto;

import java.util.List;

/** {@code GET /groups/{id}}. */
public record GroupDetails(String groupId, String state, String protocolType, String protocol, int generation,
                           String leader, List<GroupMemberDto> members, List<CommittedOffsetDto> offsets) {
}
