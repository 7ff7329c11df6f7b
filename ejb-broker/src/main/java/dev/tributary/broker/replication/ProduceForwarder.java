package dev.tributary.broker.replication;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntFunction;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;

/**
 * Writes records to a partition another broker leads, for the writers that are not Kafka clients and cannot be
 * told to go elsewhere (REST, the JCA adapter's in-VM connections): a Produce with {@code acks=all} over the
 * leader's Kafka listener. The records travel as the batches built here, so the leader appends them whole or not at
 * all, and acknowledges them as it does its own clients' writes: once its in-sync replicas hold them.
 * Connections are kept per leader; each carries one request at a time.
 */
public final class ProduceForwarder implements AutoCloseable {

    /** The newest Produce version that names topics (13 names them by id). */
    private static final short PRODUCE_VERSION = 12;
    /** What the leader's own wait for its ISR may take beyond the request's timeout before we give up reading. */
    private static final int READ_MARGIN_MS = 5_000;

    private final int brokerId;
    private final IntFunction<String> addresses;
    private final Optional<InterBrokerLogin> login;
    private final Map<String, Queue<BrokerClient>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param addresses the Kafka address a broker announced, or null for one that is not alive
     * @param login     whom to authenticate as, for a listener that requires SASL
     */
    public ProduceForwarder(int brokerId, IntFunction<String> addresses, Optional<InterBrokerLogin> login) {
        this.brokerId = brokerId;
        this.addresses = addresses;
        this.login = login;
    }

    /** Where a forwarded write landed. */
    public record Forwarded(long firstOffset, long logAppendTime) {
    }

    /**
     * Sends {@code records} to {@code leader} and waits for its answer.
     *
     * @throws LeaderNotAvailableException if the leader is not alive (as far as this broker knows)
     * @throws NetworkException            if the leader cannot be reached or stops answering
     * @throws org.apache.kafka.common.errors.ApiException the leader's refusal, e.g. NotLeaderOrFollower when
     *         leadership moved meanwhile, NotEnoughReplicas, or a timeout waiting for its ISR
     */
    public Forwarded forward(TopicPartition partition, int leader, MemoryRecords records, Duration timeout) {
        String address = addresses.apply(leader);
        if (address == null)
            throw new LeaderNotAvailableException("Broker " + leader + " leads " + partition + " but is not alive");
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE - READ_MARGIN_MS, timeout.toMillis());
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(timeoutMs);
        data.topicData().add(new ProduceRequestData.TopicProduceData().setName(partition.topic())
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                        .setIndex(partition.partition()).setRecords(records))));
        BrokerClient client = borrow(address, timeoutMs + READ_MARGIN_MS);
        ProduceResponse response;
        try {
            response = client.send(ProduceRequest.builder(data).build(PRODUCE_VERSION));
        } catch (IOException e) {
            // Not retried: the leader may have appended before the connection broke, and a second send would
            // write the records twice. The connections kept to it are likely as broken (it restarted), so they go.
            client.close();
            closeIdle(idle.get(address));
            throw new NetworkException("Forwarding a write of " + partition + " to its leader, broker " + leader
                    + " at " + address + ", failed: " + e.getMessage(), e);
        }
        giveBack(address, client);
        PartitionProduceResponse answer = response.data().responses().iterator().next()
                .partitionResponses().get(0);
        Errors error = Errors.forCode(answer.errorCode());
        if (error != Errors.NONE)
            throw error.exception(answer.errorMessage() != null ? answer.errorMessage()
                    : error.message() + " (from broker " + leader + ", which leads " + partition + ")");
        return new Forwarded(answer.baseOffset(), answer.logAppendTimeMs());
    }

    private BrokerClient borrow(String address, int readTimeoutMs) {
        BrokerClient client = idle.computeIfAbsent(address, a -> new ConcurrentLinkedQueue<>()).poll();
        if (client != null)
            return client;
        try {
            return BrokerClient.connect(address, "tributary-forwarder-" + brokerId, readTimeoutMs, login);
        } catch (IOException e) {
            throw new NetworkException("Cannot reach broker at " + address + " to forward a write: "
                    + e.getMessage(), e);
        }
    }

    private void giveBack(String address, BrokerClient client) {
        idle.computeIfAbsent(address, a -> new ConcurrentLinkedQueue<>()).offer(client);
        if (closed)
            close();
    }

    @Override
    public void close() {
        closed = true;
        idle.values().forEach(ProduceForwarder::closeIdle);
    }

    private static void closeIdle(Queue<BrokerClient> connections) {
        if (connections == null)
            return;
        for (BrokerClient client; (client = connections.poll()) != null; )
            client.close();
    }
}
