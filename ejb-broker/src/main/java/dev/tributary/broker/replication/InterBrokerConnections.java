package dev.tributary.broker.replication;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * Kafka-protocol connections from this broker to others, kept per address for reuse: each carries one request at a
 * time, and a caller that needs one while all are busy opens another. A connection that fails is closed, with the
 * idle ones to the same address (the broker there most likely restarted).
 */
final class InterBrokerConnections implements AutoCloseable {

    private final String clientId;
    private final Optional<InterBrokerLogin> login;
    private final Map<String, Queue<BrokerClient>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param login whom to authenticate as, for a listener that requires SASL */
    InterBrokerConnections(String clientId, Optional<InterBrokerLogin> login) {
        this.clientId = clientId;
        this.login = login;
    }

    /**
     * Sends {@code request} to the broker at {@code address} and waits up to {@code readTimeoutMs} for the answer.
     *
     * @throws IOException if the broker cannot be reached, or the connection breaks or times out; the request may
     *                     or may not have been handled
     */
    <T extends AbstractResponse> T send(String address, AbstractRequest request, int readTimeoutMs)
            throws IOException {
        BrokerClient client = idle.computeIfAbsent(address, a -> new ConcurrentLinkedQueue<>()).poll();
        if (client == null)
            client = BrokerClient.connect(address, clientId, readTimeoutMs, login);
        T response;
        try {
            response = client.send(request);
        } catch (IOException e) {
            client.close();
            closeIdle(idle.get(address));
            throw e;
        }
        idle.computeIfAbsent(address, a -> new ConcurrentLinkedQueue<>()).offer(client);
        if (closed)
            close();
        return response;
    }

    @Override
    public void close() {
        closed = true;
        idle.values().forEach(InterBrokerConnections::closeIdle);
    }

    private static void closeIdle(Queue<BrokerClient> connections) {
        if (connections == null)
            return;
        for (BrokerClient client; (client = connections.poll()) != null; )
            client.close();
    }
}
