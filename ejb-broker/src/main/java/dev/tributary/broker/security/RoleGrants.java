package dev.tributary.broker.security;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What a user's roles allow on the Kafka protocol, so that one user means the same on every door: the REST roles
 * grant their Kafka counterparts on every resource, before any ACL binding. {@code tributary-admin} allows
 * everything (as a super user); {@code tributary-producer} WRITE (and so DESCRIBE) on every topic and transactional
 * id, and IDEMPOTENT_WRITE on the cluster; {@code tributary-consumer} READ (and so DESCRIBE) on every topic and group.
 * A DENY binding still wins over a role's grant ({@link Authorizer}); narrower rights need a user without the role
 * and ACL bindings instead.
 *
 * <p>Roles are looked up by principal and remembered for {@link #REMEMBERED_FOR_NANOS} (checks run on the request
 * path; a role changed on this or another broker applies within that time). Thread-safe.
 */
public final class RoleGrants {

    static final long REMEMBERED_FOR_NANOS = 10_000_000_000L;
    static final String ADMIN = "tributary-admin";
    static final String PRODUCER = "tributary-producer";
    static final String CONSUMER = "tributary-consumer";
    private static final String USER_PREFIX = "User:";

    private record Remembered(Set<String> roles, long expiresAtNanos) {
    }

    private final Function<String, Optional<User>> users;
    private final LongSupplier nanoTime;
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    public RoleGrants(Function<String, Optional<User>> users, LongSupplier nanoTime) {
        this.users = users;
        this.nanoTime = nanoTime;
    }

    /** Grants nothing: only ACL bindings and super users count. */
    public static RoleGrants none() {
        return new RoleGrants(name -> Optional.empty(), System::nanoTime);
    }

    /** Whether {@code principal}'s roles allow {@code operation} on every resource of {@code type}. */
    public boolean allows(String principal, AclOperation operation, ResourceType type) {
        if (!principal.startsWith(USER_PREFIX))
            return false;
        Set<String> roles = rolesOf(principal.substring(USER_PREFIX.length()));
        if (roles.contains(ADMIN))
            return true;
        boolean describeOr = operation == AclOperation.DESCRIBE;
        if (roles.contains(PRODUCER) && ((type == ResourceType.TOPIC || type == ResourceType.TRANSACTIONAL_ID)
                && (operation == AclOperation.WRITE || describeOr)
                || type == ResourceType.CLUSTER && operation == AclOperation.IDEMPOTENT_WRITE))
            return true;
        return roles.contains(CONSUMER) && (type == ResourceType.TOPIC || type == ResourceType.GROUP)
                && (operation == AclOperation.READ || describeOr);
    }

    private Set<String> rolesOf(String name) {
        long now = nanoTime.getAsLong();
        Remembered known = remembered.get(name);
        if (known != null && now - known.expiresAtNanos() < 0)
            return known.roles();
        Set<String> roles = users.apply(name).map(User::roles).orElse(Set.of());
        remembered.put(name, new Remembered(roles, now + REMEMBERED_FOR_NANOS));
        return roles;
    }
}
