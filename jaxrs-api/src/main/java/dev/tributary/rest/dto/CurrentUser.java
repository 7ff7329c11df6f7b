package dev.tributary.rest.dto;

import java.util.List;

/**
 * {@code GET /me}.
 *
 * @param securityEnabled false when the broker runs with {@code --insecure}: everyone is let in with every role
 */
public record CurrentUser(String name, List<String> roles, boolean securityEnabled) {
}
