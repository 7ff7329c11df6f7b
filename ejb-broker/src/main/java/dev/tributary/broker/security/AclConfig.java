package dev.tributary.broker.security;

import java.util.Set;

/**
 * @param enabled    Kafka-protocol requests are checked against ACLs (deny by default); off, everything is allowed
 * @param superUsers principals ({@code User:name}) allowed everything, ACLs or not (Kafka's {@code super.users})
 */
public record AclConfig(boolean enabled, Set<String> superUsers) {

    public AclConfig {
        superUsers = Set.copyOf(superUsers);
    }

    /** Off, with the first administrator as super user for when it is turned on. */
    public static AclConfig disabled() {
        return new AclConfig(false, Set.of("User:" + AdminAccount.NAME));
    }
}
