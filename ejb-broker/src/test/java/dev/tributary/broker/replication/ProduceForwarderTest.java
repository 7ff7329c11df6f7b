package dev.tributary.broker.replication;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

/** Forwarding fails clearly when the leader cannot take the write; ReplicationTest covers the writes it forwards. */
class ProduceForwarderTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private static final MemoryRecords RECORDS = MemoryRecords.withRecords(Compression.NONE,
            new SimpleRecord("v".getBytes(StandardCharsets.UTF_8)));

    @Test
    void aLeaderThatIsNotAliveIsNotAvailable() {
        try (ProduceForwarder forwarder = new ProduceForwarder(0, broker -> null, Optional.empty())) {
            LeaderNotAvailableException e = assertThrows(LeaderNotAvailableException.class,
                    () -> forwarder.forward(TP, 2, RECORDS, Duration.ofSeconds(1)));
            assertTrue(e.getMessage().contains("Broker 2 leads orders-0"), e::getMessage);
        }
    }

    @Test
    void aLeaderThatCannotBeReachedIsANetworkError() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String address = "127.0.0.1:" + closedPort;
        try (ProduceForwarder forwarder = new ProduceForwarder(0, broker -> address, Optional.empty())) {
            NetworkException e = assertThrows(NetworkException.class,
                    () -> forwarder.forward(TP, 2, RECORDS, Duration.ofSeconds(1)));
            assertTrue(e.getMessage().contains(address), e::getMessage);
        }
    }
}
