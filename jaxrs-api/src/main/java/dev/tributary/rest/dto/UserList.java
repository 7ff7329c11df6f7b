package dev.tributary.rest.dto;

import java.util.List;

public record UserList(List<UserSummary> users) {
}
