package dev.tributary.rest.dto;

import java.util.List;

/** A member and, for consumer groups, the partitions its leader assigned it. */
public record GroupMemberDto(String memberId, String groupInstanceId, String clientId, String clientHost,
                             List<TopicPartitionDto> assignment) {
}
