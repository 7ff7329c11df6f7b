package dev.tributary.rest.dto;

import java.util.List;

public record UserSummary(String name, List<String> roles) {
}
