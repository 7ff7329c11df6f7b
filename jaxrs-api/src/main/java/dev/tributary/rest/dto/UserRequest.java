package dev.tributary.rest.dto;

import java.util.List;

/** {@code PUT /users/{name}}: the password (stored only as salted SCRAM credentials) and the roles. */
public record UserRequest(String password, List<String> roles) {

    @Override
    public String toString() {
        return "UserRequest[roles=" + roles + "]"; // never the password
    }
}
