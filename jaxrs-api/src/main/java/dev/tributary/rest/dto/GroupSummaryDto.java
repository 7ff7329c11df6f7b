package dev.tributary.rest.dto;

/** One entry of {@code GET /groups}. */
public record GroupSummaryDto(String groupId, String state, String protocolType, int members) {
}
