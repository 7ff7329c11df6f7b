package dev.tributary.rest.dto;

import java.util.List;

/**
 * {@code GET /groups/{id}}. {@code type} is {@code classic} or {@code consumer} (KIP-848); for a consumer group,
 * {@code protocol} is the server-side assignor, {@code generation} the group epoch, and there is no leader.
 */
public record GroupDetails(String groupId, String type, String state, String protocolType, String protocol,
                           int generation, String leader, List<GroupMemberDto> members,
                           List<CommittedOffsetDto> offsets) {
}
