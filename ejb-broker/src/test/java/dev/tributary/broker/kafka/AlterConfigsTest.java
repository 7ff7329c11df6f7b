package dev.tributary.broker.kafka;

import static dev.tributary.broker.kafka.KafkaClientsTest.assertCause;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.topic.NewTopic;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigOp.OpType;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IncrementalAlterConfigs from the stock admin client, and both config APIs by hand for what the admin client never
 * sends (the legacy AlterConfigs is gone from its API).
 */
class AlterConfigsTest {

    private static final ConfigResource ORDERS = new ConfigResource(ConfigResource.Type.TOPIC, "orders");

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;

    @BeforeEach
    void start() {
        kafka = new RunningKafkaBroker(dataDir);
        kafka.broker.topicAdministration().create(new NewTopic("orders", 1, (short) 1,
                Map.of("retention.ms", "1000", "segment.ms", "5000")));
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    private Map<String, String> configs() {
        return kafka.broker.topicMetadata().describe("orders").configs();
    }

    private static void alter(Admin admin, ConfigResource resource, AlterConfigOp... ops) throws Exception {
        admin.incrementalAlterConfigs(Map.of(resource, List.of(ops))).all().get();
    }

    private static AlterConfigOp op(String name, String value, OpType type) {
        return new AlterConfigOp(new ConfigEntry(name, value), type);
    }

    @Test
    void adminSetsDeletesAppendsAndSubtracts() throws Exception {
        try (Admin admin = kafka.admin()) {
            alter(admin, ORDERS, op("retention.bytes", "4096", OpType.SET), op("retention.ms", null, OpType.DELETE),
                    op("cleanup.policy", "delete", OpType.APPEND));
            Config described = admin.describeConfigs(List.of(ORDERS)).all().get().get(ORDERS);
            assertEquals("4096", described.get("retention.bytes").value());
            assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, described.get("retention.bytes").source());
            assertEquals("604800000", described.get("retention.ms").value(), "DELETE reverts to the default");
            assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, described.get("retention.ms").source());
            assertEquals("delete", described.get("cleanup.policy").value());
            assertEquals(4096, kafka.broker.hostedReplicas().leaderLog("orders", 0).config().retentionBytes(),
                    "the log runs with the new config");

            admin.incrementalAlterConfigs(Map.of(ORDERS, List.of(op("segment.ms", "1234", OpType.SET))),
                    new AlterConfigsOptions().validateOnly(true)).all().get();
            assertEquals("5000", configs().get("segment.ms"), "validate-only changes nothing");
        }
    }

    /** Every API that creates or alters a topic takes compaction, as Kafka Streams and Connect need. */
    @Test
    void compactionIsAcceptedWhereverATopicIsCreatedOrAltered() throws Exception {
        ConfigResource changelog = new ConfigResource(ConfigResource.Type.TOPIC, "changelog");
        try (Admin admin = kafka.admin()) {
            Config created = admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("changelog", 1,
                    (short) 1).configs(Map.of("cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.1",
                    "delete.retention.ms", "1000")))).config("changelog").get();
            assertEquals("compact", created.get("cleanup.policy").value());
            assertEquals("0.1", created.get("min.cleanable.dirty.ratio").value());
            assertTrue(kafka.broker.hostedReplicas().leaderLog("changelog", 0).config().compact());

            alter(admin, ORDERS, op("cleanup.policy", "compact", OpType.APPEND));
            assertEquals("delete,compact", configs().get("cleanup.policy"));
            alter(admin, ORDERS, op("cleanup.policy", "delete", OpType.SUBTRACT),
                    op("max.compaction.lag.ms", "60000", OpType.SET));
            assertEquals("compact", configs().get("cleanup.policy"));
            assertEquals(60000, kafka.broker.hostedReplicas().leaderLog("orders", 0).config().maxCompactionLagMs());
            alter(admin, changelog, op("cleanup.policy", "compact,delete", OpType.SET));
            assertEquals("compact,delete",
                    kafka.broker.topicMetadata().describe("changelog").configs().get("cleanup.policy"));
        }
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            AlterConfigsResponseData.AlterConfigsResourceResponse response = legacy(socket,
                    ApiKeys.ALTER_CONFIGS.latestVersion(), false,
                    legacyResource(ConfigResource.Type.TOPIC, "orders", "cleanup.policy", "delete,compact")).get(0);
            assertEquals(Errors.NONE.code(), response.errorCode(), response.errorMessage());
            assertEquals("delete,compact", configs().get("cleanup.policy"));
        }
    }

    /** Kafka keeps what the user set even when it equals the default, and kafka-configs --describe lists it. */
    @Test
    void anOverrideEqualToTheDefaultIsReportedAsSetOnTheTopic() throws Exception {
        ConfigResource audit = new ConfigResource(ConfigResource.Type.TOPIC, "audit");
        try (Admin admin = kafka.admin()) {
            Config created = admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("audit", 1,
                    (short) 1).configs(Map.of("retention.ms", "604800000")))).config("audit").get();
            assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, created.get("retention.ms").source());
            assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, created.get("segment.ms").source());

            alter(admin, audit, op("segment.ms", "604800000", OpType.SET));
            Config described = admin.describeConfigs(List.of(audit)).all().get().get(audit);
            for (String name : List.of("retention.ms", "segment.ms")) {
                assertEquals("604800000", described.get(name).value());
                assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, described.get(name).source(), name);
            }
            assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, described.get("retention.bytes").source());

            alter(admin, audit, op("retention.ms", null, OpType.DELETE));
            assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, admin.describeConfigs(List.of(audit)).all().get()
                    .get(audit).get("retention.ms").source(), "deleting the override makes it the default again");
        }
    }

    @Test
    void invalidChangesAreInvalidConfigWithTheReasonAndChangeNothing() throws Exception {
        try (Admin admin = kafka.admin()) {
            assertMessage(InvalidConfigurationException.class, "no.such.config",
                    () -> alter(admin, ORDERS, op("no.such.config", "1", OpType.SET)));
            assertMessage(InvalidConfigurationException.class, "retention.ms",
                    () -> alter(admin, ORDERS, op("retention.bytes", "1", OpType.SET),
                            op("retention.ms", "soon", OpType.SET)));
            assertMessage(InvalidConfigurationException.class, "not a list",
                    () -> alter(admin, ORDERS, op("retention.ms", "1", OpType.APPEND)));
            assertMessage(InvalidConfigurationException.class, "Invalid value shred for configuration cleanup.policy:"
                            + " String must be one of: compact, delete",
                    () -> alter(admin, ORDERS, op("cleanup.policy", "shred", OpType.APPEND)));
            assertMessage(InvalidConfigurationException.class, "cleanup.policy",
                    () -> alter(admin, ORDERS, op("cleanup.policy", "delete", OpType.SUBTRACT)));
            assertMessage(InvalidConfigurationException.class, "conflict topic config setting min.compaction.lag.ms"
                            + " (10) > max.compaction.lag.ms (5)",
                    () -> alter(admin, ORDERS, op("min.compaction.lag.ms", "10", OpType.SET),
                            op("max.compaction.lag.ms", "5", OpType.SET)));
            assertCause(UnknownTopicOrPartitionException.class, () -> alter(admin,
                    new ConfigResource(ConfigResource.Type.TOPIC, "missing"), op("retention.ms", "1", OpType.SET)));
            assertMessage(InvalidRequestException.class, "Only topic configurations",
                    () -> alter(admin, new ConfigResource(ConfigResource.Type.BROKER, "0"),
                            op("log.retention.ms", "1", OpType.SET)));
        }
        assertEquals("1000", configs().get("retention.ms"));
        assertEquals("-1", configs().get("retention.bytes"), "a request fails as a whole");
    }

    @Test
    void incrementalRequestsThatBreakKafkasRulesAreInvalidRequests() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            for (short v = ApiKeys.INCREMENTAL_ALTER_CONFIGS.oldestVersion();
                 v <= ApiKeys.INCREMENTAL_ALTER_CONFIGS.latestVersion(); v++) {
                assertEquals(List.of(Errors.NONE), incremental(socket, v, resource("orders",
                        alterable("segment.ms", "600" + v, OpType.SET))), "v" + v);
                assertEquals("600" + v, configs().get("segment.ms"), "v" + v);
            }
            short latest = ApiKeys.INCREMENTAL_ALTER_CONFIGS.latestVersion();
            assertEquals(List.of(Errors.INVALID_REQUEST), incremental(socket, latest, resource("orders",
                    alterable("retention.ms", null, OpType.SET))), "SET without a value");
            assertEquals(List.of(Errors.INVALID_REQUEST), incremental(socket, latest, resource("orders",
                    alterable("retention.ms", "1", OpType.SET), alterable("retention.ms", "2", OpType.SET))),
                    "one config twice");
            assertEquals(List.of(Errors.INVALID_REQUEST), incremental(socket, latest, resource("orders",
                    new IncrementalAlterConfigsRequestData.AlterableConfig().setName("retention.ms").setValue("1")
                            .setConfigOperation((byte) 9))), "an unknown operation");
            kafka.broker.topicAdministration().create(new NewTopic("other", 1, (short) 1, Map.of()));
            assertEquals(List.of(Errors.INVALID_REQUEST, Errors.NONE, Errors.INVALID_REQUEST),
                    incremental(socket, latest,
                            resource("orders", alterable("retention.ms", "1", OpType.SET)),
                            resource("other", alterable("retention.ms", "2", OpType.SET)),
                            resource("orders", alterable("retention.ms", "3", OpType.SET))),
                    "a resource named twice fails every mention, the others are served");
            assertEquals("1000", configs().get("retention.ms"));
            assertEquals("2", kafka.broker.topicMetadata().describe("other").configs().get("retention.ms"));
        }
    }

    @Test
    void legacyAlterConfigsReplacesEveryOverrideAtEveryVersion() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            for (short v = ApiKeys.ALTER_CONFIGS.oldestVersion(); v <= ApiKeys.ALTER_CONFIGS.latestVersion(); v++) {
                AlterConfigsResponseData.AlterConfigsResourceResponse response = legacy(socket, v, false,
                        legacyResource(ConfigResource.Type.TOPIC, "orders", "retention.bytes", "40" + v)).get(0);
                assertEquals(Errors.NONE.code(), response.errorCode(), "v" + v + ": " + response.errorMessage());
                assertNull(response.errorMessage());
                Map<String, String> configs = configs();
                assertEquals("40" + v, configs.get("retention.bytes"), "v" + v);
                assertEquals("604800000", configs.get("retention.ms"), "v" + v + ": left out, so back to default");
                assertEquals("604800000", configs.get("segment.ms"), "v" + v);
            }
            short latest = ApiKeys.ALTER_CONFIGS.latestVersion();
            legacy(socket, latest, true, legacyResource(ConfigResource.Type.TOPIC, "orders", "retention.ms", "7"));
            assertEquals("604800000", configs().get("retention.ms"), "validate-only");

            List<AlterConfigsResponseData.AlterConfigsResourceResponse> errors = legacy(socket, latest, false,
                    legacyResource(ConfigResource.Type.TOPIC, "orders", "retention.ms", "soon"),
                    legacyResource(ConfigResource.Type.TOPIC, "missing", "retention.ms", "1"),
                    legacyResource(ConfigResource.Type.TOPIC, "other", "retention.ms", null),
                    legacyResource(ConfigResource.Type.BROKER, "0", "log.retention.ms", "1"));
            assertEquals(List.of(Errors.INVALID_CONFIG.code(), Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                    Errors.INVALID_REQUEST.code(), Errors.INVALID_REQUEST.code()),
                    errors.stream().map(AlterConfigsResponseData.AlterConfigsResourceResponse::errorCode).toList());
            assertTrue(errors.get(0).errorMessage().contains("retention.ms"), errors.get(0).errorMessage());
            assertEquals("40" + latest, configs().get("retention.bytes"), "nothing changed");
        }
    }

    private static void assertMessage(Class<? extends Throwable> expected, String fragment,
                                      KafkaClientsTest.ExecutionCall call) {
        ExecutionException e = assertThrows(ExecutionException.class, call::run);
        assertInstanceOf(expected, e.getCause(), () -> "cause: " + e.getCause());
        assertTrue(e.getCause().getMessage().contains(fragment), e.getCause().getMessage());
    }

    private static IncrementalAlterConfigsRequestData.AlterableConfig alterable(String name, String value, OpType op) {
        return new IncrementalAlterConfigsRequestData.AlterableConfig().setName(name).setValue(value)
                .setConfigOperation(op.id());
    }

    private static IncrementalAlterConfigsRequestData.AlterConfigsResource resource(
            String topic, IncrementalAlterConfigsRequestData.AlterableConfig... configs) {
        IncrementalAlterConfigsRequestData.AlterableConfigCollection collection =
                new IncrementalAlterConfigsRequestData.AlterableConfigCollection();
        for (IncrementalAlterConfigsRequestData.AlterableConfig config : configs)
            collection.add(config);
        return new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName(topic).setConfigs(collection);
    }

    private static List<Errors> incremental(RawKafkaSocket socket, short version,
                                            IncrementalAlterConfigsRequestData.AlterConfigsResource... resources)
            throws Exception {
        IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection collection =
                new IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection();
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource resource : resources)
            collection.add(resource);
        IncrementalAlterConfigsResponse response = socket.call(new IncrementalAlterConfigsRequest(
                new IncrementalAlterConfigsRequestData().setResources(collection), version));
        return response.data().responses().stream()
                .map(IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse::errorCode)
                .map(Errors::forCode).toList();
    }

    private static AlterConfigsRequestData.AlterConfigsResource legacyResource(ConfigResource.Type type, String name,
                                                                              String config, String value) {
        AlterConfigsRequestData.AlterableConfigCollection configs =
                new AlterConfigsRequestData.AlterableConfigCollection();
        configs.add(new AlterConfigsRequestData.AlterableConfig().setName(config).setValue(value));
        return new AlterConfigsRequestData.AlterConfigsResource().setResourceType(type.id()).setResourceName(name)
                .setConfigs(configs);
    }

    private static List<AlterConfigsResponseData.AlterConfigsResourceResponse> legacy(
            RawKafkaSocket socket, short version, boolean validateOnly,
            AlterConfigsRequestData.AlterConfigsResource... resources) throws Exception {
        AlterConfigsRequestData.AlterConfigsResourceCollection collection =
                new AlterConfigsRequestData.AlterConfigsResourceCollection();
        for (AlterConfigsRequestData.AlterConfigsResource resource : resources)
            collection.add(resource);
        AlterConfigsResponse response = socket.call(new AlterConfigsRequest(
                new AlterConfigsRequestData().setResources(collection).setValidateOnly(validateOnly), version));
        return response.data().responses();
    }
}
