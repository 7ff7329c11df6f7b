package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and wrong input on raw sockets: the broker answers what the protocol says to answer, closes the
 * connection otherwise, and keeps serving everyone else.
 */
class KafkaListenerRobustnessTest {

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;

    @BeforeEach
    void start() {
        kafka = new RunningKafkaBroker(dataDir, KafkaListenerConfig.of("127.0.0.1", 0).withMaxRequestBytes(1 << 20));
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    @Test
    void aLyingSizeFieldClosesTheConnectionWithoutAllocating() throws Exception {
        for (int size : new int[] {Integer.MAX_VALUE, (1 << 20) + 1, -1, Integer.MIN_VALUE}) {
            try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
                socket.sendRaw(ByteBuffer.allocate(4).putInt(size).array());
                assertTrue(socket.closedByBroker(), "size " + size);
            }
        }
        assertBrokerStillServes();
    }

    @Test
    void garbageAndTruncatedRequestsCloseTheConnection() throws Exception {
        byte[] garbage = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes();
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            socket.sendRaw(garbage); // "GET " is read as a 1.2 GB size prefix
            assertTrue(socket.closedByBroker());
        }
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            socket.sendRaw(frame(new byte[] {0, 3, 0})); // shorter than any header
            assertTrue(socket.closedByBroker());
        }
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            // a valid Metadata v12 header followed by a body cut short
            ByteBuffer whole = MetadataRequest.Builder.allTopics().build((short) 12)
                    .serializeWithHeader(new RequestHeader(ApiKeys.METADATA, (short) 12, "t", 1));
            byte[] truncated = new byte[whole.remaining() - 2];
            whole.get(truncated);
            socket.sendRaw(frame(truncated));
            assertTrue(socket.closedByBroker());
        }
        assertBrokerStillServes();
    }

    @Test
    void unknownApiKeysAndUnsupportedVersionsCloseTheConnection() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            ByteBuffer header = ByteBuffer.allocate(10).putShort((short) 9999).putShort((short) 0).putInt(7)
                    .putShort((short) -1);
            socket.sendRaw(frame(header.array()));
            assertTrue(socket.closedByBroker());
        }
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            // SaslHandshake is a real API that this listener does not serve (yet)
            ByteBuffer header = ByteBuffer.allocate(10).putShort(ApiKeys.SASL_HANDSHAKE.id).putShort((short) 1)
                    .putInt(8).putShort((short) -1);
            socket.sendRaw(frame(header.array()));
            assertTrue(socket.closedByBroker());
        }
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            ByteBuffer header = ByteBuffer.allocate(10).putShort(ApiKeys.METADATA.id).putShort((short) 999)
                    .putInt(9).putShort((short) -1);
            socket.sendRaw(frame(header.array()));
            assertTrue(socket.closedByBroker());
        }
        assertBrokerStillServes();
    }

    @Test
    void anUnsupportedApiVersionsVersionIsAnsweredAtVersionZero() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            short tooNew = (short) (ApiKeys.API_VERSIONS.latestVersion() + 10);
            ByteBuffer bytes = new ApiVersionsRequest(new ApiVersionsRequestData(), ApiKeys.API_VERSIONS.latestVersion())
                    .serializeWithHeader(new RequestHeader(ApiKeys.API_VERSIONS, ApiKeys.API_VERSIONS.latestVersion(),
                            "future-client", 42));
            bytes.putShort(2, tooNew); // the header's api version field
            byte[] request = new byte[bytes.remaining()];
            bytes.get(request);
            socket.sendRaw(frame(request));

            ByteBuffer response = ByteBuffer.wrap(socket.receiveFrame());
            assertEquals(42, ResponseHeader.parse(response, (short) 0).correlationId());
            ApiVersionsResponse apiVersions = ApiVersionsResponse.parse(new ByteBufferAccessor(response), (short) 0);
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), apiVersions.data().errorCode());
            ApiVersion range = apiVersions.apiVersion(ApiKeys.API_VERSIONS.id);
            assertEquals(ApiKeys.API_VERSIONS.latestVersion(), range.maxVersion());
            // the client retries on the same connection with a version both sides know
            ApiVersionsResponse retry = socket.call(new ApiVersionsRequest.Builder().build(range.maxVersion()));
            assertEquals(Errors.NONE.code(), retry.data().errorCode());
        }
    }

    @Test
    void apiVersionsAdvertisesOnlyWhatIsServed() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            ApiVersionsResponse response = socket.call(new ApiVersionsRequest.Builder().build());
            assertEquals(Errors.NONE.code(), response.data().errorCode());
            Set<Short> advertised = new java.util.TreeSet<>();
            response.data().apiKeys().forEach(v -> advertised.add(v.apiKey()));
            Set<Short> expected = new java.util.TreeSet<>();
            for (ApiKeys key : List.of(ApiKeys.PRODUCE, ApiKeys.FETCH, ApiKeys.LIST_OFFSETS, ApiKeys.METADATA,
                    ApiKeys.FIND_COORDINATOR, ApiKeys.DESCRIBE_CONFIGS, ApiKeys.CREATE_TOPICS, ApiKeys.DELETE_TOPICS,
                    ApiKeys.INIT_PRODUCER_ID, ApiKeys.DESCRIBE_CLUSTER, ApiKeys.API_VERSIONS, ApiKeys.JOIN_GROUP,
                    ApiKeys.SYNC_GROUP, ApiKeys.HEARTBEAT, ApiKeys.LEAVE_GROUP, ApiKeys.OFFSET_COMMIT,
                    ApiKeys.OFFSET_FETCH, ApiKeys.DESCRIBE_GROUPS, ApiKeys.LIST_GROUPS, ApiKeys.DELETE_GROUPS,
                    ApiKeys.OFFSET_DELETE, ApiKeys.CREATE_PARTITIONS, ApiKeys.INCREMENTAL_ALTER_CONFIGS,
                    ApiKeys.ALTER_CONFIGS, ApiKeys.DELETE_RECORDS, ApiKeys.OFFSET_FOR_LEADER_EPOCH,
                    ApiKeys.DESCRIBE_ACLS, ApiKeys.CREATE_ACLS, ApiKeys.DELETE_ACLS, ApiKeys.ADD_PARTITIONS_TO_TXN,
                    ApiKeys.ADD_OFFSETS_TO_TXN, ApiKeys.END_TXN, ApiKeys.WRITE_TXN_MARKERS, ApiKeys.TXN_OFFSET_COMMIT,
                    ApiKeys.DESCRIBE_PRODUCERS, ApiKeys.DESCRIBE_TRANSACTIONS, ApiKeys.LIST_TRANSACTIONS,
                    ApiKeys.CONSUMER_GROUP_HEARTBEAT, ApiKeys.CONSUMER_GROUP_DESCRIBE))
                expected.add(key.id);
            assertEquals(expected, advertised);
            for (ApiKeys key : List.of(ApiKeys.CREATE_PARTITIONS, ApiKeys.INCREMENTAL_ALTER_CONFIGS,
                    ApiKeys.ALTER_CONFIGS, ApiKeys.DELETE_RECORDS, ApiKeys.OFFSET_FOR_LEADER_EPOCH,
                    ApiKeys.CONSUMER_GROUP_HEARTBEAT, ApiKeys.CONSUMER_GROUP_DESCRIBE)) {
                ApiVersion range = response.apiVersion(key.id);
                assertEquals(List.of(key.oldestVersion(), key.latestVersion()),
                        List.of(range.minVersion(), range.maxVersion()), key + ": every version the clients know");
            }
            ApiVersionsResponseData.FinalizedFeatureKey transactionVersion =
                    response.data().finalizedFeatures().find("transaction.version");
            assertEquals(2, transactionVersion.maxVersionLevel(), "transaction.version 2 (KIP-890) is finalized");
        }
    }

    @Test
    void aMetadataRequestAtEveryAdvertisedVersionIsAnswered() throws Exception {
        kafka.broker.topicAdministration().create(new dev.tributary.broker.topic.NewTopic("t", 2, (short) 1, java.util.Map.of()));
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            for (short v = ApiKeys.METADATA.oldestVersion(); v <= ApiKeys.METADATA.latestVersion(); v++) {
                MetadataRequestData data = new MetadataRequestData().setTopics(v == 0 ? List.of() : null);
                if (v >= 4)
                    data.setAllowAutoTopicCreation(false);
                MetadataResponse response = socket.call(new MetadataRequest(data, v));
                assertEquals(1, response.brokers().size(), "v" + v);
                assertEquals(2, response.topicMetadata().iterator().next().partitionMetadata().size(), "v" + v);
            }
        }
    }

    private void assertBrokerStillServes() throws Exception {
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("after-abuse", 1, (short) 1))).all().get();
            assertEquals(Set.of("after-abuse"), admin.listTopics().names().get());
        }
    }

    private static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }
}
