package dev.tributary.rest.dto;

import java.util.List;

public record TopicList(List<TopicSummary> topics) {
}
