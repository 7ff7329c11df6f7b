package dev.tributary.rest.dto;

/** One entry of {@code GET /groups}; {@code type} is {@code classic} or {@code consumer} (KIP-848). */
public record GroupSummaryDto(String groupId, String type, String state, String protocolType, int members) {
}
