package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
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

/** FindCoordinator names this broker for consumer groups and refuses, with a reason, what it cannot coordinate. */
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
    void transactionShareAndUnknownKeysAreRefusedWithTheReason() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            for (short v = 1; v <= ApiKeys.FIND_COORDINATOR.latestVersion(); v++) {
                Coordinator transaction = find(socket, v, CoordinatorType.TRANSACTION.id(), "payments-tx");
                assertEquals(Errors.INVALID_REQUEST.code(), transaction.errorCode(), "v" + v);
                assertEquals(-1, transaction.nodeId(), "v" + v);
                assertTrue(transaction.errorMessage().startsWith("Transactions are not supported"), "v" + v);
            }
            short latest = ApiKeys.FIND_COORDINATOR.latestVersion();
            Coordinator share = find(socket, latest, CoordinatorType.SHARE.id(), "share-group:topic-id:0");
            assertEquals(Errors.INVALID_REQUEST.code(), share.errorCode());
            assertTrue(share.errorMessage().startsWith("Share groups are not supported"), share::toString);
            Coordinator unknown = find(socket, latest, (byte) 9, "what");
            assertEquals(Errors.INVALID_REQUEST.code(), unknown.errorCode());
            assertEquals("Unknown coordinator type 9 in FindCoordinator request", unknown.errorMessage());
        }
    }

    /** A transactional producer learns at once why it cannot start, rather than from an "unexpected" error. */
    @Test
    void aTransactionalProducerFailsInInitTransactionsWithTheReason() {
        Properties config = new Properties();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "payments-tx");
        try (KafkaProducer<String, String> producer = kafka.producer(config)) {
            KafkaException failure = assertThrows(KafkaException.class, producer::initTransactions);
            assertTrue(failure.getMessage().contains("Transactions are not supported: this broker has no transaction"
                    + " coordinator"), failure::toString);
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
