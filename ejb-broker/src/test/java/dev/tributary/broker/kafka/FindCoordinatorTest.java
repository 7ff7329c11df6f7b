package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FindCoordinator names this broker for consumer groups and transactional ids and refuses, with a reason, what it
 * cannot coordinate.
 */
class FindCoordinatorTest {

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;

    @BeforeEach
    void start() {
        kafka = new RunningKafkaBroker(dataDir);
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    @Test
    void groupsAreCoordinatedHereAtEveryVersion() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            for (short v = ApiKeys.FIND_COORDINATOR.oldestVersion(); v <= ApiKeys.FIND_COORDINATOR.latestVersion();
                 v++) {
                Coordinator answer = find(socket, v, CoordinatorType.GROUP.id(), "orders-service");
                assertEquals(Errors.NONE.code(), answer.errorCode(), "v" + v);
                assertEquals(0, answer.nodeId(), "v" + v);
                assertEquals(kafka.kafka.port(), answer.port(), "v" + v);
            }
        }
    }

    @Test
    void transactionalIdsAreCoordinatedHereAtEveryVersionThatHasKeyTypes() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            for (short v = 1; v <= ApiKeys.FIND_COORDINATOR.latestVersion(); v++) {
                Coordinator transaction = find(socket, v, CoordinatorType.TRANSACTION.id(), "payments-tx");
                assertEquals(Errors.NONE.code(), transaction.errorCode(), "v" + v);
                assertEquals(0, transaction.nodeId(), "v" + v);
                assertEquals(kafka.kafka.port(), transaction.port(), "v" + v);
            }
        }
    }

    @Test
    void shareAndUnknownKeysAreRefusedWithTheReason() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            short latest = ApiKeys.FIND_COORDINATOR.latestVersion();
            Coordinator share = find(socket, latest, CoordinatorType.SHARE.id(), "share-group:topic-id:0");
            assertEquals(Errors.INVALID_REQUEST.code(), share.errorCode());
            assertTrue(share.errorMessage().startsWith("Share groups are not supported"), share::toString);
            Coordinator unknown = find(socket, latest, (byte) 9, "what");
            assertEquals(Errors.INVALID_REQUEST.code(), unknown.errorCode());
            assertEquals("Unknown coordinator type 9 in FindCoordinator request", unknown.errorMessage());
        }
    }

    private static Coordinator find(RawKafkaSocket socket, short version, byte keyType, String key)
            throws Exception {
        FindCoordinatorRequestData data = new FindCoordinatorRequestData().setKeyType(keyType);
        if (version < FindCoordinatorRequest.MIN_BATCHED_VERSION)
            data.setKey(key);
        else
            data.setCoordinatorKeys(List.of(key));
        FindCoordinatorResponse response = socket.call(new FindCoordinatorRequest.Builder(data).build(version));
        if (version < FindCoordinatorRequest.MIN_BATCHED_VERSION) {
            return new Coordinator().setKey(key).setErrorCode(response.data().errorCode())
                    .setErrorMessage(response.data().errorMessage()).setNodeId(response.data().nodeId())
                    .setPort(response.data().port());
        }
        assertEquals(1, response.data().coordinators().size());
        return response.data().coordinators().get(0);
    }
}
