package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.topic.NewTopic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code connections.max.idle.ms} and {@code max.connections} on the Kafka listener. */
class KafkaListenerLimitsTest {

    private static final long IDLE_MS = 800;
    private static final long AWAIT_NANOS = TimeUnit.SECONDS.toNanos(20);

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;

    @AfterEach
    void stop() {
        if (kafka != null)
            kafka.close();
    }

    @Test
    void aConnectionIdleForTheLimitIsClosedWhileAnActiveOneStaysOpen() throws Exception {
        startWithIdleLimit();
        long connectedAfter = System.nanoTime(); // the broker cannot have seen the idle connection earlier
        try (RawKafkaSocket idle = new RawKafkaSocket(kafka.kafka.port());
             RawKafkaSocket active = new RawKafkaSocket(kafka.kafka.port())) {
            apiVersions(idle);
            CompletableFuture<Long> idleClosedAt = CompletableFuture.supplyAsync(() -> closedAt(idle));

            // A request every quarter of the limit, until the idle connection is closed and two limits after that.
            long deadline = System.nanoTime() + AWAIT_NANOS;
            while (!idleClosedAt.isDone()
                    || System.nanoTime() - idleClosedAt.get() < 2 * TimeUnit.MILLISECONDS.toNanos(IDLE_MS)) {
                assertTrue(System.nanoTime() < deadline, "the idle connection was not closed in time");
                apiVersions(active); // throws if the broker closed the active connection
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(IDLE_MS / 4));
            }
            long lifetimeMs = TimeUnit.NANOSECONDS.toMillis(idleClosedAt.get() - connectedAfter);
            assertTrue(lifetimeMs >= IDLE_MS, "closed " + lifetimeMs + " ms after it connected, before the limit");
            apiVersions(active);
        }
    }

    @Test
    void aConnectionWaitingForItsResponseIsNotIdle() throws Exception {
        startWithIdleLimit();
        kafka.broker.topicAdministration().create(new NewTopic("quiet", 1, (short) 1, Map.of()));
        // a long poll on an empty partition, parked for two idle limits
        FetchRequestData data = new FetchRequestData().setReplicaId(-1).setMaxWaitMs((int) (2 * IDLE_MS))
                .setMinBytes(1).setMaxBytes(1 << 20).setSessionId(0).setSessionEpoch(-1)
                .setTopics(List.of(new FetchRequestData.FetchTopic().setTopic("quiet").setPartitions(List.of(
                        new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                                .setPartitionMaxBytes(1 << 20)))));
        FetchRequest fetch = new FetchRequest(data, (short) 12);
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            long started = System.nanoTime();
            FetchResponse response = socket.call(fetch);
            assertTrue(System.nanoTime() - started > TimeUnit.MILLISECONDS.toNanos(IDLE_MS),
                    "the fetch was parked for longer than the idle limit");
            assertEquals(Errors.NONE, response.error());
            apiVersions(socket);
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAtAccept() throws Exception {
        kafka = new RunningKafkaBroker(dataDir, KafkaListenerConfig.of("127.0.0.1", 0).withMaxConnections(2));
        try (RawKafkaSocket first = new RawKafkaSocket(kafka.kafka.port());
             RawKafkaSocket second = new RawKafkaSocket(kafka.kafka.port())) {
            apiVersions(first);
            apiVersions(second);
            try (RawKafkaSocket third = new RawKafkaSocket(kafka.kafka.port())) {
                assertTrue(third.closedByBroker());
            }
            first.close();
            // the slot is free once the broker has seen the close: until then a new connection is refused
            long deadline = System.nanoTime() + AWAIT_NANOS;
            while (!servedOnNewConnection()) {
                assertTrue(System.nanoTime() < deadline, "the closed connection's slot was not released");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            apiVersions(second);
        }
    }

    /**
     * A broker whose connections expire after {@link #IDLE_MS}, and one request to it beforehand, so that loading
     * the client's classes on a cold JVM does not keep a test connection silent for longer than the limit.
     */
    private void startWithIdleLimit() throws IOException {
        kafka = new RunningKafkaBroker(dataDir,
                KafkaListenerConfig.of("127.0.0.1", 0).withConnectionsMaxIdleMs(IDLE_MS));
        try (RawKafkaSocket warmUp = new RawKafkaSocket(kafka.kafka.port())) {
            apiVersions(warmUp);
        }
    }

    private boolean servedOnNewConnection() throws IOException {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            apiVersions(socket);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static void apiVersions(RawKafkaSocket socket) throws IOException {
        ApiVersionsResponse response = socket.call(new ApiVersionsRequest.Builder().build());
        assertEquals(Errors.NONE.code(), response.data().errorCode());
    }

    /** Blocks until the broker closes {@code socket}; returns when, by {@link System#nanoTime()}. */
    private static long closedAt(RawKafkaSocket socket) {
        try {
            assertTrue(socket.closedByBroker(), "the broker closed the idle connection");
            return System.nanoTime();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
