package dev.tributary.rest.dto;

public record TopicPartitionDto(String topic, int partition) {
}
