package dev.tributary.broker.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Kafka's ACL model (KIP-11, as Kafka's {@code StandardAuthorizer} decides): once enabled, everything not allowed is
 * denied; a DENY that matches wins over any ALLOW; ALLOW of READ, WRITE, DELETE or ALTER implies DESCRIBE, ALLOW of
 * ALTER_CONFIGS implies DESCRIBE_CONFIGS, and ALL covers every operation; a binding matches a resource by exact
 * name, by the wildcard {@code *} (LITERAL), or by prefix (PREFIXED); a principal {@code User:*} matches
 * everyone and a host {@code *} every address. Super users are allowed everything; a user's roles allow what
 * {@link RoleGrants} says, unless a DENY binding says otherwise. Disabled, it allows everything.
 *
 * <p>Bindings are read from the store at start and kept in memory (copy-on-write: checks on the request path take
 * no lock); changes go to the store first.
 */
public final class Authorizer {

    private static final Logger LOG = Logger.getLogger(Authorizer.class.getName());
    private static final Set<AclOperation> IMPLYING_DESCRIBE =
            Set.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER);

    private final boolean enabled;
    private final Set<String> superUsers;
    private final AclStore store;
    private final RoleGrants roles;
    private volatile List<AclBinding> bindings;

    /** Bindings and super users only; no role grants anything. */
    public Authorizer(boolean enabled, Set<String> superUsers, AclStore store) {
        this(enabled, superUsers, store, RoleGrants.none());
    }

    public Authorizer(boolean enabled, Set<String> superUsers, AclStore store, RoleGrants roles) {
        this.enabled = enabled;
        this.superUsers = Set.copyOf(superUsers);
        this.store = store;
        this.roles = roles;
        this.bindings = List.copyOf(store.loadAll());
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Whether {@code principal} ({@code User:name}), connected from {@code host}, may do {@code operation} on the
     * named resource.
     */
    public boolean authorize(String principal, String host, AclOperation operation, ResourceType type, String name) {
        if (!enabled || superUsers.contains(principal)) {
            return true;
        }
        boolean allowed = roles.allows(principal, operation, type);
        for (AclBinding binding : bindings) {
            if (!matches(binding, principal, host, type, name)) {
                continue;
            }
            AclOperation granted = binding.entry().operation();
            if (binding.entry().permissionType() == AclPermissionType.DENY) {
                if (granted == AclOperation.ALL || granted == operation) {
                    return false;
                }
            } else if (covers(granted, operation)) {
                allowed = true;
            }
        }
        return allowed;
    }

    /**
     * Whether {@code principal} may do {@code operation} on some resource of {@code type} (Kafka's rule for an
     * idempotent producer: WRITE on any topic).
     */
    public boolean authorizeAny(String principal, String host, AclOperation operation, ResourceType type) {
        if (!enabled || superUsers.contains(principal) || roles.allows(principal, operation, type)) {
            return true;
        }
        for (AclBinding binding : bindings) {
            // An ALLOW counts unless a DENY cancels it on the very resources it names.
            if (binding.pattern().resourceType() == type && principalMatches(binding, principal, host)
                    && binding.entry().permissionType() == AclPermissionType.ALLOW
                    && covers(binding.entry().operation(), operation)
                    && authorize(principal, host, operation, type, binding.pattern().name())) {
                return true;
            }
        }
        return false;
    }

    public List<AclBinding> describe(AclBindingFilter filter) {
        return bindings.stream().filter(filter::matches).toList();
    }

    /**
     * Stores and applies {@code created}.
     *
     * @throws IllegalArgumentException for a binding with an unknown or any-valued field
     */
    public synchronized void create(Collection<AclBinding> created) {
        for (AclBinding binding : created) {
            if (binding.isUnknown() || binding.toFilter().findIndefiniteField() != null
                    || binding.pattern().patternType() == PatternType.MATCH
                    || binding.pattern().patternType() == PatternType.ANY) {
                throw new IllegalArgumentException("Not a complete ACL binding: " + binding);
            }
        }
        store.add(created);
        Set<AclBinding> all = new LinkedHashSet<>(bindings);
        all.addAll(created);
        bindings = List.copyOf(all);
        LOG.info(() -> "ACLs created: " + created);
    }

    /** Removes and returns every binding matching {@code filter}. */
    public synchronized List<AclBinding> delete(AclBindingFilter filter) {
        List<AclBinding> deleted = describe(filter);
        if (!deleted.isEmpty()) {
            store.remove(deleted);
            List<AclBinding> remaining = new ArrayList<>(bindings);
            remaining.removeAll(deleted);
            bindings = List.copyOf(remaining);
            LOG.info(() -> "ACLs deleted: " + deleted);
        }
        return deleted;
    }

    private static boolean matches(AclBinding binding, String principal, String host, ResourceType type,
                                   String name) {
        ResourcePattern pattern = binding.pattern();
        if (pattern.resourceType() != type || !principalMatches(binding, principal, host)) {
            return false;
        }
        return switch (pattern.patternType()) {
            case LITERAL -> pattern.name().equals(name) || pattern.name().equals(ResourcePattern.WILDCARD_RESOURCE);
            case PREFIXED -> name.startsWith(pattern.name());
            default -> false;
        };
    }

    private static boolean principalMatches(AclBinding binding, String principal, String host) {
        String granted = binding.entry().principal();
        String grantedHost = binding.entry().host();
        return (granted.equals(principal) || granted.equals("User:*"))
                && (grantedHost.equals("*") || grantedHost.equals(host));
    }

    private static boolean covers(AclOperation granted, AclOperation requested) {
        return granted == AclOperation.ALL || granted == requested
                || requested == AclOperation.DESCRIBE && IMPLYING_DESCRIBE.contains(granted)
                || requested == AclOperation.DESCRIBE_CONFIGS && granted == AclOperation.ALTER_CONFIGS;
    }
}
