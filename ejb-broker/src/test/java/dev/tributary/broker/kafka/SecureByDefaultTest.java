package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.security.AclConfig;
import dev.tributary.broker.security.AdminAccount;
import dev.tributary.broker.security.ClientConfigFile;
import dev.tributary.broker.security.SecureDefaults;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.topic.NewTopic;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.tools.ConsoleProducer;
import org.apache.kafka.tools.TopicCommand;
import org.apache.kafka.tools.consumer.ConsoleConsumer;
import org.apache.kafka.tools.consumer.group.ConsumerGroupCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker as its first start leaves it (issue 21): SASL with SCRAM and ACLs on, an {@code admin} whose password
 * and ready client settings are in the data directory, a producer-role user who may only produce; and with
 * security off, both doors open.
 */
class SecureByDefaultTest {

    /** The APIs an unauthenticated connection may use; any other closes it. */
    private static final Set<ApiKeys> BEFORE_LOGIN =
            EnumSet.of(ApiKeys.API_VERSIONS, ApiKeys.SASL_HANDSHAKE, ApiKeys.SASL_AUTHENTICATE);

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;

    @AfterEach
    void stop() {
        if (kafka != null)
            kafka.close();
    }

    /** What BrokerLifecycle does at a first start without a configured admin password, on the default settings. */
    private Path startAsFirstStartDoes(SecureDefaults defaults) {
        kafka = new RunningKafkaBroker(BrokerConfig.embedded(dataDir)
                .withAcls(new AclConfig(defaults.aclsEnabled(Optional.empty()), Set.of("User:admin"))),
                KafkaListenerConfig.of("127.0.0.1", 0)
                        .withSaslMechanisms(defaults.saslMechanisms(Optional.empty(), false)));
        AdminAccount.ensure(kafka.broker.users(), Optional.empty(), dataDir.resolve("admin-password"));
        KafkaListenerConfig listener = KafkaListenerConfig.of("127.0.0.1", 0)
                .withSaslMechanisms(defaults.saslMechanisms(Optional.empty(), false));
        return ClientConfigFile.write(dataDir, listener.securityProtocol(), listener.saslMechanisms()).orElseThrow();
    }

    @Test
    void anUnauthenticatedClientGetsApiVersionsAndTheHandshakeAndIsDisconnectedForAnythingElse() throws Exception {
        startAsFirstStartDoes(new SecureDefaults(true));
        kafka.broker.topicAdministration().create(new NewTopic("orders", 1, (short) 1, Map.of()));
        List<ApiKeys> served;
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            ApiVersionsResponse versions = socket.call(new ApiVersionsRequest(new ApiVersionsRequestData()
                    .setClientSoftwareName("raw-test").setClientSoftwareVersion("1"), (short) 3));
            assertEquals(Errors.NONE.code(), versions.data().errorCode());
            served = versions.data().apiKeys().stream().map(key -> ApiKeys.forId(key.apiKey())).toList();
            SaslHandshakeResponse handshake = socket.call(new SaslHandshakeRequest.Builder(
                    new SaslHandshakeRequestData().setMechanism("SCRAM-SHA-512")).build((short) 1));
            assertEquals(Errors.NONE, handshake.error());
            assertEquals(List.of("SCRAM-SHA-256", "SCRAM-SHA-512"), handshake.enabledMechanisms());
        }
        assertTrue(served.containsAll(List.of(ApiKeys.METADATA, ApiKeys.PRODUCE, ApiKeys.FETCH,
                ApiKeys.CREATE_TOPICS, ApiKeys.DELETE_TOPICS, ApiKeys.JOIN_GROUP, ApiKeys.OFFSET_COMMIT,
                ApiKeys.DELETE_GROUPS, ApiKeys.INCREMENTAL_ALTER_CONFIGS, ApiKeys.CREATE_ACLS)), served::toString);
        for (ApiKeys api : served) {
            if (BEFORE_LOGIN.contains(api))
                continue;
            try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
                socket.sendRaw(headerOnlyFrame(new RequestHeader(api, api.latestVersion(), "anonymous", 7)));
                assertTrue(socket.closedByBroker(), api + " before authenticating must close the connection");
            }
        }
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) { // a whole, valid request too
            socket.send(new RequestHeader(ApiKeys.METADATA, (short) 12, "anonymous", 1),
                    MetadataRequest.Builder.allTopics().build((short) 12));
            assertTrue(socket.closedByBroker());
        }
        assertEquals(List.of("orders"), kafka.broker.topicMetadata().topicNames(), "nothing was created or deleted");
    }

    @Test
    void theGeneratedClientSettingsWorkWithTheStockTools() throws Exception {
        Path clientConfig = startAsFirstStartDoes(new SecureDefaults(true));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(clientConfig)));
        String config = clientConfig.toString();

        tool(TopicCommand::main, "--bootstrap-server", kafka.bootstrap(), "--command-config", config,
                "--create", "--topic", "orders", "--partitions", "2").assertSucceeded();
        InProcessTool.runWithInput(ConsoleProducer::main, "first\nsecond\n", "--bootstrap-server", kafka.bootstrap(),
                "--topic", "orders", "--command-config", config).assertSucceeded();
        InProcessTool.Result consumed = InProcessTool.run(ConsoleConsumer::main, "--bootstrap-server",
                kafka.bootstrap(), "--topic", "orders", "--from-beginning", "--max-messages", "2",
                "--timeout-ms", "30000", "--group", "readers", "--command-config", config).assertSucceeded();
        assertEquals(Set.of("first", "second"), Set.copyOf(consumed.out().lines().toList()), consumed::toString);
        InProcessTool.Result groups = tool(ConsumerGroupCommand::main, "--bootstrap-server", kafka.bootstrap(),
                "--command-config", config, "--describe", "--group", "readers").assertSucceeded();
        assertTrue(groups.out().contains("orders"), groups::toString);
        tool(TopicCommand::main, "--bootstrap-server", kafka.bootstrap(), "--command-config", config,
                "--delete", "--topic", "orders").assertSucceeded();

        // Without the settings the same tool gets nowhere.
        tool(TopicCommand::main, "--bootstrap-server", kafka.bootstrap(), "--list",
                "--command-config", withoutLogin().toString()).assertFailed();
    }

    @Test
    void aUserWithOnlyTheProducerRoleProducesButNeitherDeletesTopicsNorReads() throws Exception {
        startAsFirstStartDoes(new SecureDefaults(true));
        kafka.broker.topicAdministration().create(new NewTopic("orders", 1, (short) 1, Map.of()));
        kafka.broker.users().save("pat", "pat-secret-1", Set.of("tributary-producer"));
        Properties pat = SaslAuthenticationTest.sasl("SCRAM-SHA-512", "pat", "pat-secret-1");

        try (KafkaProducer<String, String> producer = kafka.producer(pat)) {
            assertEquals(0, producer.send(new ProducerRecord<>("orders", "k", "v")).get().offset());
        }
        try (Admin admin = admin(pat)) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> admin.deleteTopics(List.of("orders")).all().get());
            assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
        }
        try (KafkaConsumer<String, String> consumer = kafka.groupMember("pats", "pat", pat)) {
            consumer.subscribe(List.of("orders"));
            assertThrows(AuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(10)));
        }
        try (KafkaConsumer<String, String> consumer = kafka.consumer(pat)) {
            consumer.assign(List.of(new TopicPartition("orders", 0)));
            consumer.seekToBeginning(List.of(new TopicPartition("orders", 0)));
            assertThrows(TopicAuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(10)),
                    "an assigned partition is refused too, not just empty");
        }
        assertEquals(List.of("orders"), kafka.broker.topicMetadata().topicNames(), "still there");
    }

    @Test
    void insecureOpensTheKafkaDoorToAnyone() throws Exception {
        assertTrue(startAsFirstStartDoes(new SecureDefaults(false)).toFile().exists());
        try (Admin anonymous = kafka.admin()) {
            anonymous.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("open", 1, (short) 1)))
                    .all().get();
            anonymous.deleteTopics(List.of("open")).all().get();
        }
        Properties written = new Properties();
        try (InputStream in = new FileInputStream(dataDir.resolve(ClientConfigFile.NAME).toFile())) {
            written.load(in);
        }
        assertEquals("PLAINTEXT", written.getProperty("security.protocol"));
    }

    private Path withoutLogin() throws IOException {
        Path file = dataDir.resolve("no-login.properties");
        Files.writeString(file, "request.timeout.ms=3000\ndefault.api.timeout.ms=5000\n");
        return file;
    }

    private Admin admin(Properties overrides) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.putAll(overrides);
        return Admin.create(props);
    }

    private static InProcessTool.Result tool(InProcessTool.Main main, String... args) {
        return InProcessTool.run(main, args);
    }

    private static byte[] headerOnlyFrame(RequestHeader header) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        short version = header.headerVersion();
        int size = header.data().size(cache, version);
        ByteBufferAccessor frame = new ByteBufferAccessor(ByteBuffer.allocate(4 + size));
        frame.writeInt(size);
        header.data().write(frame, cache, version);
        return frame.buffer().array();
    }
}
