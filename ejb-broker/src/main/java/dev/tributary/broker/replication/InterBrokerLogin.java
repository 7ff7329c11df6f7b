package dev.tributary.broker.replication;

import java.util.Optional;

/**
 * The broker user brokers authenticate as (SCRAM-SHA-512) when they fetch from a leader or forward a write to it,
 * for clusters whose Kafka listener requires SASL. It must be allowed to do that: a super user when ACLs are on.
 */
public record InterBrokerLogin(String user, String password) {

    public InterBrokerLogin {
        if (user == null || user.isBlank() || password == null || password.isEmpty())
            throw new IllegalArgumentException("An inter-broker login needs a user and a password");
    }

    /**
     * @return a login if {@code user} is given
     * @throws IllegalArgumentException if a user is given without a password
     */
    public static Optional<InterBrokerLogin> of(Optional<String> user, Optional<String> password) {
        return user.filter(name -> !name.isBlank()).map(name -> new InterBrokerLogin(name, password.orElseThrow(
                () -> new IllegalArgumentException("Inter-broker user " + name + " has no password"))));
    }

    @Override
    public String toString() {
        return "InterBrokerLogin[user=" + user + "]"; // never the password, e.g. in a logged configuration
    }
}
