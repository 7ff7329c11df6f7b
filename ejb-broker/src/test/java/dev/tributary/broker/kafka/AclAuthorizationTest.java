package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tributary.broker.security.AclConfig;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.topic.NewTopic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ACLs enforced on stock clients over SASL, and managed through the stock admin client. */
class AclAuthorizationTest {

    private static final String ALICE_PASSWORD = "alice-secret-1";
    private static final String ADMIN_PASSWORD = "admin-secret-1";

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;

    @BeforeEach
    void start() {
        kafka = new RunningKafkaBroker(BrokerConfig.embedded(dataDir).withAcls(new AclConfig(true,
                Set.of("User:admin"))), KafkaListenerConfig.of("127.0.0.1", 0).withSaslMechanisms(List.of("PLAIN")));
        kafka.broker.users().save("alice", ALICE_PASSWORD, Set.of());
        kafka.broker.users().save("admin", ADMIN_PASSWORD, Set.of());
        kafka.broker.topicAdministration().create(new NewTopic("orders", 1, (short) 1, Map.of()));
        kafka.broker.topicAdministration().create(new NewTopic("hidden", 1, (short) 1, Map.of()));
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    @Test
    void withoutAnAclAStockProducerIsRefusedAndWithOneItWrites() throws Exception {
        ExecutionException refused = assertThrows(ExecutionException.class, () -> produce("before"));
        assertInstanceOf(AuthorizationException.class, refused.getCause(), refused.getCause().toString());

        try (Admin admin = admin("admin", ADMIN_PASSWORD)) {
            admin.createAcls(List.of(allow(ResourceType.TOPIC, "orders", AclOperation.WRITE))).all().get();
        }
        assertEquals(0, produce("after"));

        try (Admin admin = admin("alice", ALICE_PASSWORD)) {
            assertEquals(Set.of("orders"), admin.listTopics().names().get(), "WRITE implies DESCRIBE; no other");
        }
    }

    @Test
    void aConsumerNeedsReadOnTheGroupAsWellAsOnTheTopic() throws Exception {
        try (Admin admin = admin("admin", ADMIN_PASSWORD)) {
            admin.createAcls(List.of(allow(ResourceType.TOPIC, "orders", AclOperation.READ))).all().get();
        }
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of("orders"));
            assertThrows(GroupAuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(10)));
        }
        try (Admin admin = admin("admin", ADMIN_PASSWORD)) {
            admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.GROUP, "billing-",
                    PatternType.PREFIXED), new AccessControlEntry("User:alice", "*", AclOperation.READ,
                    AclPermissionType.ALLOW)))).all().get();
        }
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of("orders"));
            consumer.poll(Duration.ofSeconds(5)); // joins the group: no authorization error
            assertEquals(Set.of("orders"), Set.copyOf(consumer.subscription()));
        }
    }

    /** Kafka's rule for ConsumerGroupHeartbeat (KIP-848): READ on the group, DESCRIBE on topics subscribed by name. */
    @Test
    void aConsumerProtocolMemberNeedsReadOnTheGroupAndDescribeOnItsTopics() throws Exception {
        try (Admin admin = admin("admin", ADMIN_PASSWORD)) {
            admin.createAcls(List.of(allow(ResourceType.TOPIC, "orders", AclOperation.READ))).all().get();
        }
        try (KafkaConsumer<String, String> consumer = consumerProtocolConsumer()) {
            consumer.subscribe(List.of("orders"));
            assertThrows(GroupAuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(10)));
        }
        try (Admin admin = admin("admin", ADMIN_PASSWORD)) {
            admin.createAcls(List.of(allow(ResourceType.GROUP, "billing-eu", AclOperation.READ))).all().get();
        }
        try (KafkaConsumer<String, String> consumer = consumerProtocolConsumer()) {
            consumer.subscribe(List.of("hidden"));
            assertThrows(TopicAuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(10)));
        }
        try (KafkaConsumer<String, String> consumer = consumerProtocolConsumer()) {
            consumer.subscribe(List.of("orders"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100));
            }
            assertEquals(Set.of(new TopicPartition("orders", 0)), consumer.assignment());
        }
    }

    @Test
    void onlyWhoMayAlterTheClusterManagesAclsAndDeletedOnesStopApplying() throws Exception {
        AclBinding write = allow(ResourceType.TOPIC, "orders", AclOperation.WRITE);
        try (Admin alice = admin("alice", ALICE_PASSWORD)) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> alice.createAcls(List.of(write)).all().get());
            assertInstanceOf(ClusterAuthorizationException.class, refused.getCause());
        }
        try (Admin admin = admin("admin", ADMIN_PASSWORD)) {
            admin.createAcls(List.of(write)).all().get();
            assertEquals(List.of(write), List.copyOf(admin.describeAcls(AclBindingFilter.ANY).values().get()));
            assertEquals(0, produce("allowed"));
            assertEquals(List.of(write), List.copyOf(admin.deleteAcls(List.of(write.toFilter())).all().get()));
        }
        ExecutionException refused = assertThrows(ExecutionException.class, () -> produce("denied again"));
        assertInstanceOf(AuthorizationException.class, refused.getCause());
    }

    private long produce(String value) throws Exception {
        try (KafkaProducer<String, String> producer = kafka.producer(SaslAuthenticationTest.sasl("PLAIN", "alice",
                ALICE_PASSWORD))) {
            return producer.send(new ProducerRecord<>("orders", value)).get().offset();
        }
    }

    private KafkaConsumer<String, String> consumer() {
        Properties props = SaslAuthenticationTest.sasl("PLAIN", "alice", ALICE_PASSWORD);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "billing-eu");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return kafka.consumer(props);
    }

    private KafkaConsumer<String, String> consumerProtocolConsumer() {
        Properties props = SaslAuthenticationTest.sasl("PLAIN", "alice", ALICE_PASSWORD);
        return kafka.consumerProtocolMember("billing-eu", "alice", props);
    }

    private Admin admin(String user, String password) {
        Properties props = SaslAuthenticationTest.sasl("PLAIN", user, password);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        return Admin.create(props);
    }

    private static AclBinding allow(ResourceType type, String name, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry("User:alice", "*", operation, AclPermissionType.ALLOW));
    }
}
