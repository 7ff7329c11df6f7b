package dev.tributary.broker.replication;

import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.txn.TransactionCoordinator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;
import org.apache.kafka.common.requests.AddOffsetsToTxnResponse;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;

/**
 * A partition leader's or group coordinator's questions to a transaction coordinator (Kafka's
 * {@code AddPartitionsToTxnManager}), asked of this broker's coordinator when it coordinates the transactional id
 * and over the Kafka listener (AddPartitionsToTxn v5, AddOffsetsToTxn) when another broker does:
 * <ul>
 *   <li>KIP-890 part 1: before a leader takes the first transactional batch of a producer's transaction for a
 *       partition, is the partition in that transaction? ({@code verifyOnly})</li>
 *   <li>KIP-890 part 2 (transaction version 2): clients no longer add partitions or groups themselves; the leader
 *       adds the partition, the group coordinator the group.</li>
 * </ul>
 * Blocking; called on request-handler threads.
 */
public final class TransactionVerifier implements AutoCloseable {

    private static final short BROKER_ADD_PARTITIONS_VERSION = 5;
    private static final short ADD_OFFSETS_VERSION = 4;

    private final TransactionCoordinator local;
    private final Function<String, OptionalInt> coordinatorOf;
    private final IntFunction<String> addresses;
    private final InterBrokerConnections connections;
    private final int requestTimeoutMs;

    /**
     * @param coordinatorOf the broker that coordinates a transactional id now, empty if none is known
     * @param addresses     the Kafka address a broker announced, or null for one that is not alive
     */
    public TransactionVerifier(int brokerId, TransactionCoordinator local, Function<String, OptionalInt> coordinatorOf,
                               IntFunction<String> addresses, Optional<InterBrokerLogin> login,
                               int requestTimeoutMs) {
        this.local = local;
        this.coordinatorOf = coordinatorOf;
        this.addresses = addresses;
        this.connections = new InterBrokerConnections("tributary-txn-verifier-" + brokerId, login);
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /**
     * Whether each partition is in the producer's open transaction; with {@code add} (transaction version 2) it is
     * added first.
     *
     * @return per partition NONE, or the coordinator's error
     */
    public Map<TopicPartition, Errors> verify(String transactionalId, long producerId, short epoch,
                                              Set<TopicPartition> partitions, boolean add) {
        if (local.coordinates(transactionalId)) {
            if (!add)
                return local.verifyPartitions(transactionalId, producerId, epoch, partitions);
            Errors error = local.addPartitions(transactionalId, producerId, epoch, partitions, 2);
            return each(partitions, error);
        }
        String address = coordinatorAddress(transactionalId);
        if (address == null)
            return each(partitions, Errors.COORDINATOR_NOT_AVAILABLE);
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        byTopic.forEach((topic, indexes) -> topics.add(new AddPartitionsToTxnTopic().setName(topic)
                .setPartitions(indexes)));
        AddPartitionsToTxnTransactionCollection transactions = new AddPartitionsToTxnTransactionCollection();
        transactions.add(new AddPartitionsToTxnTransaction().setTransactionalId(transactionalId)
                .setProducerId(producerId).setProducerEpoch(epoch).setVerifyOnly(!add).setTopics(topics));
        try {
            AddPartitionsToTxnResponse response = connections.send(address,
                    AddPartitionsToTxnRequest.Builder.forBroker(transactions).build(BROKER_ADD_PARTITIONS_VERSION),
                    requestTimeoutMs);
            Errors top = Errors.forCode(response.data().errorCode());
            if (top != Errors.NONE)
                return each(partitions, top);
            Map<TopicPartition, Errors> answered = response.errors().getOrDefault(transactionalId, Map.of());
            Map<TopicPartition, Errors> result = new LinkedHashMap<>();
            partitions.forEach(tp -> result.put(tp, answered.getOrDefault(tp, Errors.UNKNOWN_SERVER_ERROR)));
            return result;
        } catch (IOException e) {
            return each(partitions, Errors.COORDINATOR_NOT_AVAILABLE);
        }
    }

    /**
     * For the first transactional batch of a producer's transaction on a partition this broker leads, run before it
     * is written: asks the transaction coordinator whether the partition is in the transaction (with
     * {@code addIfMissing}, transaction version 2, adds it). Later batches of the transaction pass at once: the log
     * knows the transaction is open.
     *
     * @throws InvalidRequestException      transactional records without a transactional id
     * @throws NotEnoughReplicasException   the coordinator is busy or moving (CONCURRENT_TRANSACTIONS,
     *                                      NOT_COORDINATOR, ...): retriable for producers, as Kafka answers it
     * @throws InvalidProducerEpochException the producer was fenced by a newer instance
     * @throws org.apache.kafka.common.errors.ApiException the coordinator's other refusals (INVALID_TXN_STATE, ...)
     */
    public void checkBeforeAppend(PartitionLog log, MemoryRecords records, String transactionalId,
                                  boolean addIfMissing) {
        RecordBatch first = records.firstBatch();
        if (first == null || !first.isTransactional())
            return;
        if (transactionalId == null || transactionalId.isEmpty())
            throw new InvalidRequestException("Transactional records for " + log.topicPartition()
                    + " in a produce request without a transactional id");
        if (log.inTransaction(first.producerId(), first.producerEpoch()))
            return;
        Errors error = verify(transactionalId, first.producerId(), first.producerEpoch(),
                Set.of(log.topicPartition()), addIfMissing).getOrDefault(log.topicPartition(),
                Errors.UNKNOWN_SERVER_ERROR);
        switch (error) {
            case NONE -> {
            }
            case CONCURRENT_TRANSACTIONS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS ->
                    throw new NotEnoughReplicasException("The transaction coordinator of " + transactionalId
                            + " cannot confirm the transaction yet (" + error + "); retry");
            case PRODUCER_FENCED -> throw new InvalidProducerEpochException("Producer " + first.producerId()
                    + " with epoch " + first.producerEpoch() + " was fenced by a newer instance of " + transactionalId);
            default -> throw error.exception("The transaction coordinator of " + transactionalId + " refused "
                    + log.topicPartition() + " for producer " + first.producerId() + ": " + error.message());
        }
    }

    /** Transaction version 2: the group's offsets join the producer's transaction. */
    public Errors addOffsets(String transactionalId, long producerId, short epoch, String groupId) {
        if (local.coordinates(transactionalId))
            return local.addOffsets(transactionalId, producerId, epoch, groupId, 2);
        String address = coordinatorAddress(transactionalId);
        if (address == null)
            return Errors.COORDINATOR_NOT_AVAILABLE;
        try {
            AddOffsetsToTxnResponse response = connections.send(address, new AddOffsetsToTxnRequest.Builder(
                    new AddOffsetsToTxnRequestData().setTransactionalId(transactionalId).setProducerId(producerId)
                            .setProducerEpoch(epoch).setGroupId(groupId)).build(ADD_OFFSETS_VERSION),
                    requestTimeoutMs);
            return Errors.forCode(response.data().errorCode());
        } catch (IOException e) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
    }

    private String coordinatorAddress(String transactionalId) {
        OptionalInt coordinator = coordinatorOf.apply(transactionalId);
        return coordinator.isEmpty() ? null : addresses.apply(coordinator.getAsInt());
    }

    private static Map<TopicPartition, Errors> each(Set<TopicPartition> partitions, Errors error) {
        Map<TopicPartition, Errors> result = new LinkedHashMap<>();
        partitions.forEach(tp -> result.put(tp, error));
        return result;
    }

    @Override
    public void close() {
        connections.close();
    }
}
