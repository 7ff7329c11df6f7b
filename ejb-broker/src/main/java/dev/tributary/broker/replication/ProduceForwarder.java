package dev.tributary.broker.replication;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
 * Connections are kept per leader ({@link InterBrokerConnections}).
 */
public final class ProduceForwarder implements AutoCloseable {

    /** The newest Produce version that names topics (13 names them by id). */
    private static final short PRODUCE_VERSION = 12;
    /** What the leader's own wait for its ISR may take beyond the request's timeout before we give up reading. */
    private static final int READ_MARGIN_MS = 5_000;

    private final int brokerId;
    private final IntFunction<String> addresses;
    private final InterBrokerConnections connections;

    /**
     * @param addresses the Kafka address a broker announced, or null for one that is not alive
     * @param login     whom to authenticate as, for a listener that requires SASL
     */
    public ProduceForwarder(int brokerId, IntFunction<String> addresses, Optional<InterBrokerLogin> login) {
        this.brokerId = brokerId;
        this.addresses = addresses;
        this.connections = new InterBrokerConnections("tributary-forwarder-" + brokerId, login);
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
        ProduceResponse response;
        try {
            response = connections.send(address, ProduceRequest.builder(data).build(PRODUCE_VERSION),
                    timeoutMs + READ_MARGIN_MS);
        } catch (IOException e) {
            // Not retried: the leader may have appended before the connection broke, and a second send would
            // write the records twice.
            throw new NetworkException("Forwarding a write of " + partition + " to its leader, broker " + leader
                    + " at " + address + ", failed: " + e.getMessage(), e);
        }
        PartitionProduceResponse answer = response.data().responses().iterator().next()
                .partitionResponses().get(0);
        Errors error = Errors.forCode(answer.errorCode());
        if (error != Errors.NONE)
            throw error.exception(answer.errorMessage() != null ? answer.errorMessage()
                    : error.message() + " (from broker " + leader + ", which leads " + partition + ")");
        return new Forwarded(answer.baseOffset(), answer.logAppendTimeMs());
    }

    @Override
    public void close() {
        connections.close();
    }
}
