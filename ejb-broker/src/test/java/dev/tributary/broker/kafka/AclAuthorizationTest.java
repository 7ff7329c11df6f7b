package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.security.AclConfig;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.topic.NewTopic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.DescribeTransactionsRequest;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
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

    /** As Kafka: creating a topic on first use needs CREATE on the cluster or on the topic. */
    @Test
    void aTopicIsCreatedOnFirstUseOnlyWithCreateOnTheClusterOrTheTopic() throws Exception {
        try (Admin admin = admin("admin", ADMIN_PASSWORD)) {
            admin.createAcls(List.of(allow(ResourceType.TOPIC, "fresh", AclOperation.WRITE),
                    allow(ResourceType.TOPIC, "later", AclOperation.WRITE))).all().get();
        }
        ExecutionException refused = assertThrows(ExecutionException.class, () -> produce("fresh", "v"));
        assertInstanceOf(TopicAuthorizationException.class, refused.getCause(), refused.getCause().toString());
        assertFalse(kafka.broker.topicMetadata().topicNames().contains("fresh"));

        try (Admin admin = admin("admin", ADMIN_PASSWORD)) {
            admin.createAcls(List.of(allow(ResourceType.TOPIC, "fresh", AclOperation.CREATE))).all().get();
        }
        assertEquals(0, produce("fresh", "v"));
        assertTrue(kafka.broker.topicMetadata().topicNames().contains("fresh"));

        try (Admin admin = admin("admin", ADMIN_PASSWORD)) {
            admin.createAcls(List.of(allow(ResourceType.CLUSTER, "kafka-cluster", AclOperation.CREATE))).all()
                    .get();
        }
        assertEquals(0, produce("later", "v"));
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

    @Test
    void aTransactionalProducerNeedsWriteOnItsTransactionalId() throws Exception {
        try (Admin admin = admin("admin", ADMIN_PASSWORD)) {
            admin.createAcls(List.of(allow(ResourceType.TOPIC, "orders", AclOperation.WRITE))).all().get();
        }
        Properties props = SaslAuthenticationTest.sasl("PLAIN", "alice", ALICE_PASSWORD);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "alice-tx");
        try (KafkaProducer<String, String> producer = kafka.producer(props)) {
            KafkaException refused = assertThrows(KafkaException.class, producer::initTransactions);
            assertTrue(refused instanceof TransactionalIdAuthorizationException
                    || refused.getCause() instanceof TransactionalIdAuthorizationException, refused::toString);
        }
        try (Admin admin = admin("admin", ADMIN_PASSWORD)) {
            admin.createAcls(List.of(allow(ResourceType.TRANSACTIONAL_ID, "alice-tx", AclOperation.WRITE))).all().get();
        }
        try (KafkaProducer<String, String> producer = kafka.producer(props)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("orders", "in a transaction"));
            producer.commitTransaction();
        }
    }

    /**
     * Each request of the transaction protocol, sent by hand so none hides behind another: without an ACL on the
     * transactional id every one is refused with TRANSACTIONAL_ID_AUTHORIZATION_FAILED (even though the topic and
     * group ACLs would let it through); with WRITE on the id the same requests, after an InitProducerId, run a
     * transaction to its commit.
     */
    @Test
    void everyTransactionalRequestNeedsWriteOnTheTransactionalId() throws Exception {
        try (Admin admin = admin("admin", ADMIN_PASSWORD)) {
            admin.createAcls(List.of(allow(ResourceType.TOPIC, "orders", AclOperation.WRITE),
                    allow(ResourceType.TOPIC, "orders", AclOperation.READ),
                    allow(ResourceType.GROUP, "billing", AclOperation.READ))).all().get();
        }
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            authenticate(socket, "alice", ALICE_PASSWORD);
            List<AbstractRequest> refused = new ArrayList<>(List.of(new InitProducerIdRequest.Builder(
                    new InitProducerIdRequestData().setTransactionalId("alice-tx").setTransactionTimeoutMs(60_000))
                    .build((short) 4)));
            refused.addAll(transactionRequests(4000L, (short) 0));
            for (AbstractRequest request : refused)
                assertEquals(Set.of(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED),
                        socket.call(request).errorCounts().keySet(), request.apiKey()::toString);
        }
        try (Admin admin = admin("admin", ADMIN_PASSWORD)) {
            admin.createAcls(List.of(allow(ResourceType.TRANSACTIONAL_ID, "alice-tx", AclOperation.WRITE))).all()
                    .get();
        }
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            authenticate(socket, "alice", ALICE_PASSWORD);
            InitProducerIdResponse init = socket.call(new InitProducerIdRequest.Builder(new InitProducerIdRequestData()
                    .setTransactionalId("alice-tx").setTransactionTimeoutMs(60_000)).build((short) 4));
            assertEquals(Errors.NONE, init.error());
            for (AbstractRequest request : transactionRequests(init.data().producerId(), init.data().producerEpoch()))
                assertEquals(Set.of(Errors.NONE), socket.call(request).errorCounts().keySet(),
                        request.apiKey()::toString);
        }
    }

    /**
     * One transaction as a transaction-version-1 client runs it once it has its producer id: FindCoordinator,
     * AddPartitionsToTxn, a transactional Produce, AddOffsetsToTxn, TxnOffsetCommit, EndTxn (commit); then
     * DescribeTransactions, as {@code kafka-transactions.sh describe} sends it (DESCRIBE, implied by WRITE).
     */
    private static List<AbstractRequest> transactionRequests(long producerId, short epoch) {
        String id = "alice-tx";
        TopicPartition orders = new TopicPartition("orders", 0);
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName("orders").setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(MemoryRecords
                        .withTransactionalRecords(Compression.NONE, producerId, epoch, 0,
                                new SimpleRecord("paid".getBytes(StandardCharsets.UTF_8)))))));
        return List.of(
                new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                        .setKeyType(FindCoordinatorRequest.CoordinatorType.TRANSACTION.id())
                        .setCoordinatorKeys(List.of(id))).build((short) 4),
                AddPartitionsToTxnRequest.Builder.forClient(id, producerId, epoch, List.of(orders)).build((short) 3),
                new ProduceRequest(new ProduceRequestData().setTransactionalId(id).setAcks((short) -1)
                        .setTimeoutMs(10_000).setTopicData(topics), (short) 11),
                new AddOffsetsToTxnRequest.Builder(new AddOffsetsToTxnRequestData().setTransactionalId(id)
                        .setProducerId(producerId).setProducerEpoch(epoch).setGroupId("billing")).build((short) 3),
                TxnOffsetCommitRequest.Builder.forTopicNames(new TxnOffsetCommitRequestData().setTransactionalId(id)
                        .setGroupId("billing").setProducerId(producerId).setProducerEpoch(epoch)
                        .setTopics(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic()
                                .setName("orders").setPartitions(List.of(
                                        new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition()
                                                .setPartitionIndex(0).setCommittedOffset(1))))), false)
                        .build((short) 3),
                new EndTxnRequest.Builder(new EndTxnRequestData().setTransactionalId(id).setProducerId(producerId)
                        .setProducerEpoch(epoch).setCommitted(true), false).build((short) 4),
                new DescribeTransactionsRequest.Builder(new DescribeTransactionsRequestData()
                        .setTransactionalIds(List.of(id))).build((short) 0));
    }

    /** SASL/PLAIN by hand: SaslHandshake v1, then one SaslAuthenticate v2. */
    private static void authenticate(RawKafkaSocket socket, String user, String password) throws Exception {
        SaslHandshakeResponse handshake = socket.call(new SaslHandshakeRequest.Builder(
                new SaslHandshakeRequestData().setMechanism("PLAIN")).build((short) 1));
        assertEquals(Errors.NONE, handshake.error());
        SaslAuthenticateResponse authenticated = socket.call(new SaslAuthenticateRequest.Builder(
                new SaslAuthenticateRequestData().setAuthBytes(("\0" + user + "\0" + password)
                        .getBytes(StandardCharsets.UTF_8))).build((short) 2));
        assertEquals(Errors.NONE, authenticated.error());
    }

    private long produce(String value) throws Exception {
        return produce("orders", value);
    }

    private long produce(String topic, String value) throws Exception {
        try (KafkaProducer<String, String> producer = kafka.producer(SaslAuthenticationTest.sasl("PLAIN", "alice",
                ALICE_PASSWORD))) {
            return producer.send(new ProducerRecord<>(topic, value)).get().offset();
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
