package dev.tributary.broker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** Kafka's ACL semantics, decision by decision. */
class AuthorizerTest {

    private static final String ALICE = "User:alice";
    private static final String HOST = "10.0.0.7";

    private final List<AclBinding> stored = new ArrayList<>();
    private final AclStore store = new AclStore() {
        @Override
        public List<AclBinding> loadAll() {
            return List.copyOf(stored);
        }

        @Override
        public void add(Collection<AclBinding> bindings) {
            stored.addAll(bindings);
        }

        @Override
        public void remove(Collection<AclBinding> bindings) {
            stored.removeAll(bindings);
        }
    };

    @Test
    void enabledItDeniesByDefaultAndSuperUsersMayDoAnything() {
        Authorizer acls = new Authorizer(true, Set.of("User:admin"), store);
        assertFalse(acls.authorize(ALICE, HOST, AclOperation.READ, ResourceType.TOPIC, "orders"));
        assertTrue(acls.authorize("User:admin", HOST, AclOperation.DELETE, ResourceType.TOPIC, "orders"));
        assertTrue(new Authorizer(false, Set.of(), store)
                .authorize(ALICE, HOST, AclOperation.DELETE, ResourceType.TOPIC, "orders"), "disabled: all allowed");
    }

    @Test
    void literalWildcardAndPrefixedPatternsMatchAsInKafka() {
        Authorizer acls = new Authorizer(true, Set.of(), store);
        acls.create(List.of(allow(ALICE, AclOperation.READ, "orders", PatternType.LITERAL),
                allow(ALICE, AclOperation.WRITE, "payments-", PatternType.PREFIXED),
                allow("User:*", AclOperation.DESCRIBE, "*", PatternType.LITERAL)));

        assertTrue(acls.authorize(ALICE, HOST, AclOperation.READ, ResourceType.TOPIC, "orders"));
        assertFalse(acls.authorize(ALICE, HOST, AclOperation.READ, ResourceType.TOPIC, "orders-2"), "literal");
        assertTrue(acls.authorize(ALICE, HOST, AclOperation.WRITE, ResourceType.TOPIC, "payments-eu"));
        assertFalse(acls.authorize(ALICE, HOST, AclOperation.WRITE, ResourceType.TOPIC, "payment"));
        assertTrue(acls.authorize("User:bob", HOST, AclOperation.DESCRIBE, ResourceType.TOPIC, "anything"));
        assertFalse(acls.authorize("User:bob", HOST, AclOperation.READ, ResourceType.TOPIC, "orders"));
        assertFalse(acls.authorize(ALICE, HOST, AclOperation.READ, ResourceType.GROUP, "orders"), "type matters");
    }

    @Test
    void denyWinsAndReadWriteImplyDescribe() {
        Authorizer acls = new Authorizer(true, Set.of(), store);
        acls.create(List.of(allow(ALICE, AclOperation.ALL, "*", PatternType.LITERAL),
                binding(ALICE, "*", AclOperation.WRITE, "audit", PatternType.LITERAL, AclPermissionType.DENY),
                allow("User:bob", AclOperation.WRITE, "orders", PatternType.LITERAL),
                allow("User:carol", AclOperation.ALTER_CONFIGS, "orders", PatternType.LITERAL)));

        assertTrue(acls.authorize(ALICE, HOST, AclOperation.WRITE, ResourceType.TOPIC, "orders"));
        assertFalse(acls.authorize(ALICE, HOST, AclOperation.WRITE, ResourceType.TOPIC, "audit"), "DENY wins");
        assertTrue(acls.authorize(ALICE, HOST, AclOperation.READ, ResourceType.TOPIC, "audit"));
        assertTrue(acls.authorize("User:bob", HOST, AclOperation.DESCRIBE, ResourceType.TOPIC, "orders"));
        assertFalse(acls.authorize("User:bob", HOST, AclOperation.READ, ResourceType.TOPIC, "orders"));
        assertTrue(acls.authorize("User:carol", HOST, AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC, "orders"));
        assertTrue(acls.authorizeAny("User:bob", HOST, AclOperation.WRITE, ResourceType.TOPIC));
        assertFalse(acls.authorizeAny("User:carol", HOST, AclOperation.WRITE, ResourceType.TOPIC));
    }

    @Test
    void aHostSpecificBindingAppliesOnlyFromThatHost() {
        Authorizer acls = new Authorizer(true, Set.of(), store);
        acls.create(List.of(binding(ALICE, HOST, AclOperation.READ, "orders", PatternType.LITERAL,
                AclPermissionType.ALLOW)));
        assertTrue(acls.authorize(ALICE, HOST, AclOperation.READ, ResourceType.TOPIC, "orders"));
        assertFalse(acls.authorize(ALICE, "10.0.0.8", AclOperation.READ, ResourceType.TOPIC, "orders"));
    }

    @Test
    void bindingsAreStoredDescribedAndDeletedByFilter() {
        Authorizer acls = new Authorizer(true, Set.of(), store);
        AclBinding read = allow(ALICE, AclOperation.READ, "orders", PatternType.LITERAL);
        AclBinding write = allow(ALICE, AclOperation.WRITE, "orders", PatternType.LITERAL);
        acls.create(List.of(read, write));
        assertEquals(Set.of(read, write), Set.copyOf(new Authorizer(true, Set.of(), store)
                .describe(AclBindingFilter.ANY)), "a new authorizer loads what was stored");

        AclBindingFilter readsOnly = new AclBindingFilter(read.pattern().toFilter(),
                read.entry().toFilter());
        assertEquals(List.of(read), acls.delete(readsOnly));
        assertEquals(List.of(write), stored);
        assertFalse(acls.authorize(ALICE, HOST, AclOperation.READ, ResourceType.TOPIC, "orders"));
        assertThrows(IllegalArgumentException.class, () -> acls.create(List.of(new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, "x", PatternType.MATCH),
                new AccessControlEntry(ALICE, "*", AclOperation.READ, AclPermissionType.ALLOW)))));
    }

    private static AclBinding allow(String principal, AclOperation operation, String name, PatternType pattern) {
        return binding(principal, "*", operation, name, pattern, AclPermissionType.ALLOW);
    }

    private static AclBinding binding(String principal, String host, AclOperation operation, String name,
                                      PatternType pattern, AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, name, pattern),
                new AccessControlEntry(principal, host, operation, permission));
    }
}
