package dev.tributary.rest.dto;

import java.util.List;

public record GroupList(List<GroupSummaryDto> groups) {
}
