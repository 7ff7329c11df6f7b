package dev.tributary.rest.dto;

import java.util.List;

public record ResetOffsetsResponse(String groupId, List<CommittedOffsetDto> offsets) {
}
