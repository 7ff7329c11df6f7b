package dev.tributary.broker.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** A user's REST roles mean the same on the Kafka protocol; DENY bindings still win. */
class RoleGrantsTest {

    private final Map<String, User> users = new HashMap<>();
    private final AtomicLong now = new AtomicLong();
    private final List<AclBinding> stored = new ArrayList<>();
    private final Authorizer authorizer = new Authorizer(true, Set.of(), new AclStore() {
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
    }, new RoleGrants(name -> Optional.ofNullable(users.get(name)), now::get));

    private void user(String name, String... roles) {
        users.put(name, new User(name, Set.of(roles), Map.of()));
    }

    private boolean may(String user, AclOperation operation, ResourceType type, String name) {
        return authorizer.authorize("User:" + user, "10.0.0.1", operation, type, name);
    }

    @Test
    void aProducerWritesAndDescribesEveryTopicButNeitherReadsNorAdministers() {
        user("p", "tributary-producer");
        assertTrue(may("p", AclOperation.WRITE, ResourceType.TOPIC, "orders"));
        assertTrue(may("p", AclOperation.DESCRIBE, ResourceType.TOPIC, "orders"));
        assertTrue(authorizer.authorizeAny("User:p", "10.0.0.1", AclOperation.IDEMPOTENT_WRITE, ResourceType.CLUSTER));
        assertFalse(may("p", AclOperation.READ, ResourceType.TOPIC, "orders"));
        assertFalse(may("p", AclOperation.READ, ResourceType.GROUP, "g"));
        assertFalse(may("p", AclOperation.DELETE, ResourceType.TOPIC, "orders"));
        assertFalse(may("p", AclOperation.CREATE, ResourceType.CLUSTER, "kafka-cluster"));
        assertFalse(may("p", AclOperation.ALTER_CONFIGS, ResourceType.TOPIC, "orders"));
    }

    @Test
    void aConsumerReadsTopicsAndGroupsButDoesNotWrite() {
        user("c", "tributary-consumer");
        assertTrue(may("c", AclOperation.READ, ResourceType.TOPIC, "orders"));
        assertTrue(may("c", AclOperation.READ, ResourceType.GROUP, "g"));
        assertTrue(may("c", AclOperation.DESCRIBE, ResourceType.GROUP, "g"));
        assertFalse(may("c", AclOperation.WRITE, ResourceType.TOPIC, "orders"));
        assertFalse(may("c", AclOperation.DELETE, ResourceType.GROUP, "g"));
    }

    @Test
    void anAdminMayDoEverythingAndAUserWithoutRolesNothing() {
        user("a", "tributary-admin");
        user("nobody");
        assertTrue(may("a", AclOperation.DELETE, ResourceType.TOPIC, "orders"));
        assertTrue(may("a", AclOperation.ALTER, ResourceType.CLUSTER, "kafka-cluster"));
        assertFalse(may("nobody", AclOperation.DESCRIBE, ResourceType.TOPIC, "orders"));
        assertFalse(may("stranger", AclOperation.DESCRIBE, ResourceType.TOPIC, "orders"));
        assertFalse(authorizer.authorize("User:ANONYMOUS", "", AclOperation.DESCRIBE, ResourceType.TOPIC, "orders"));
    }

    @Test
    void aDenyBindingBeatsTheRole() {
        user("p", "tributary-producer");
        authorizer.create(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "payroll", PatternType.LITERAL),
                new AccessControlEntry("User:p", "*", AclOperation.WRITE, AclPermissionType.DENY))));
        assertFalse(may("p", AclOperation.WRITE, ResourceType.TOPIC, "payroll"));
        assertTrue(may("p", AclOperation.WRITE, ResourceType.TOPIC, "orders"));
    }

    @Test
    void aChangedRoleAppliesOnceTheRememberedOneExpires() {
        user("p", "tributary-producer");
        assertTrue(may("p", AclOperation.WRITE, ResourceType.TOPIC, "orders"));
        user("p");
        assertTrue(may("p", AclOperation.WRITE, ResourceType.TOPIC, "orders"), "remembered for a while");
        now.addAndGet(RoleGrants.REMEMBERED_FOR_NANOS);
        assertFalse(may("p", AclOperation.WRITE, ResourceType.TOPIC, "orders"));
    }
}
