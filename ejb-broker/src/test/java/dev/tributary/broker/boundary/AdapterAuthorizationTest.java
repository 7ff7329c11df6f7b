package dev.tributary.broker.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.security.AclConfig;
import dev.tributary.broker.security.ApplicationAccount;
import dev.tributary.broker.server.Broker;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.topic.NewTopic;
import dev.tributary.jca.api.OutgoingRecord;
import dev.tributary.jca.spi.BrokerGateway;
import dev.tributary.jca.spi.GroupSubscription;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JCA adapter held to the broker's ACLs, as the user it is configured with or as User:ANONYMOUS. */
class AdapterAuthorizationTest {

    private static final String PASSWORD = "alice-secret-1";

    @TempDir
    Path dataDir;

    private Broker broker;
    private BrokerGateway gateway;

    @BeforeEach
    void start() {
        broker = Broker.start(BrokerConfig.embedded(dataDir).withAcls(new AclConfig(true, Set.of("User:admin"))),
                Clock.systemUTC());
        broker.topicAdministration().create(new NewTopic("orders", 1, (short) 1, Map.of()));
        broker.users().save("alice", PASSWORD, Set.of());
        gateway = InVmBrokerGateway.forAdapter(broker);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void anAdapterNamingNoUserWithoutTheAppUserIsRefusedTheSettingNamedAndAUserGetsWhatItsAclsAllow() {
        OutgoingRecord record = OutgoingRecord.builder().topic("orders").value("v").build();
        SecurityException unnamed = assertThrows(SecurityException.class, () -> gateway.append(record));
        assertTrue(unnamed.getMessage().contains("User:app may not WRITE topic 'orders'"), unnamed.getMessage());
        assertTrue(unnamed.getMessage().contains("set its properties user and password"), unnamed.getMessage());
        assertThrows(SecurityException.class, () -> gateway.as("alice", "wrong-password".toCharArray()));

        BrokerGateway alice = gateway.as("alice", PASSWORD.toCharArray());
        assertThrows(SecurityException.class, () -> alice.append(record));
        assertThrows(SecurityException.class, () -> alice.commitOnePhase(List.of(record)));
        allow(ResourceType.TOPIC, "orders", AclOperation.WRITE);
        assertEquals(0, alice.append(record).offset());
        assertEquals(1, alice.commitOnePhase(List.of(record)).get(0).offset());
    }

    @Test
    void anAdapterNamingNoUserActsAsTheAppUserCreatedAtFirstStart() {
        ApplicationAccount.create(broker.users());
        OutgoingRecord record = OutgoingRecord.builder().topic("orders").value("v").build();
        assertEquals(0, gateway.append(record).offset(), "User:app has the producer role");
        gateway.joinGroup(new GroupSubscription("billing", List.of("orders"), true, "mdb-billing"))
                .close(); // and the consumer role: no SecurityException
    }

    @Test
    void consumingNeedsReadOnTheGroupAndTheTopics() {
        BrokerGateway alice = gateway.as("alice", PASSWORD.toCharArray());
        GroupSubscription subscription = new GroupSubscription("billing", List.of("orders"), true, "mdb-billing");
        allow(ResourceType.TOPIC, "orders", AclOperation.READ);
        SecurityException refused = assertThrows(SecurityException.class, () -> alice.joinGroup(subscription));
        assertTrue(refused.getMessage().contains("group 'billing'"), refused.getMessage());
        allow(ResourceType.GROUP, "billing", AclOperation.READ);
        alice.joinGroup(subscription).close();
    }

    private void allow(ResourceType type, String name, AclOperation operation) {
        broker.authorizer().create(List.of(new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry("User:alice", "*", operation, AclPermissionType.ALLOW))));
    }
}
