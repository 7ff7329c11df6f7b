package dev.tributary.rest.dto;

import java.util.List;

public record ProduceRequest(List<ProduceRecord> records) {
}
