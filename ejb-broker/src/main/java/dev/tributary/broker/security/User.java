package dev.tributary.broker.security;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * A user as stored: name, roles, and a salted SCRAM credential per mechanism; never the password.
 *
 * @param roles e.g. {@code tributary-admin}, {@code tributary-producer}, {@code tributary-consumer}
 */
public record User(String name, Set<String> roles, Map<ScramMechanism, ScramCredential> credentials) {

    public User {
        Objects.requireNonNull(name, "name");
        roles = Set.copyOf(roles);
        credentials = Map.copyOf(credentials);
    }

    public ScramCredential credential(ScramMechanism mechanism) {
        return credentials.get(mechanism);
    }

    @Override
    public String toString() {
        return "User[" + name + ", roles=" + roles + "]"; // never the credentials
    }
}
