package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import dev.tributary.broker.kafka.security.RequestAuthorization;
import dev.tributary.broker.topic.TopicMetadata;
import dev.tributary.broker.txn.ProducerIdAndEpoch;
import dev.tributary.broker.txn.TransactionCoordinator;
import dev.tributary.broker.txn.TransactionFilter;
import dev.tributary.broker.txn.TransactionMetadata;
import dev.tributary.broker.txn.TransactionState;
import dev.tributary.broker.txn.TransactionStoreException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnResultCollection;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TopicData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;
import org.apache.kafka.common.requests.AddOffsetsToTxnResponse;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.requests.DescribeTransactionsRequest;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.ListTransactionsRequest;
import org.apache.kafka.common.requests.ListTransactionsResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The transaction coordinator's APIs, over the {@link TransactionCoordinator}: AddPartitionsToTxn (clients' v0-3,
 * and brokers' batched v4-5 with {@code verify_only}, KIP-890), AddOffsetsToTxn, EndTxn (v5 and later is
 * transaction version 2: the answer carries the bumped epoch), DescribeTransactions and ListTransactions, which
 * {@code kafka-transactions.sh} uses. InitProducerId with a transactional id is in {@link InitProducerIdHandler}.
 *
 * <p>A store that cannot be reached is answered COORDINATOR_NOT_AVAILABLE, which clients retry.
 */
public final class TransactionApis {

    private static final Logger LOG = Logger.getLogger(TransactionApis.class.getName());
    /** EndTxn versions from this one on are transaction version 2 (KIP-890 part 2). */
    private static final short FIRST_END_TXN_VERSION_OF_TV2 = 5;
    /** AddPartitionsToTxn versions from this one on are brokers' batches. */
    private static final short FIRST_BROKER_ADD_PARTITIONS_VERSION = 4;

    private final TransactionCoordinator coordinator;
    private final TopicMetadata topics;
    private final RequestAuthorization authorization;

    public TransactionApis(TransactionCoordinator coordinator, TopicMetadata topics,
                           RequestAuthorization authorization) {
        this.coordinator = coordinator;
        this.topics = topics;
        this.authorization = authorization;
    }

    public List<ApiHandler> handlers() {
        return List.of(
                api(ApiKeys.ADD_PARTITIONS_TO_TXN, this::addPartitions),
                api(ApiKeys.ADD_OFFSETS_TO_TXN, this::addOffsets),
                api(ApiKeys.END_TXN, this::endTxn),
                api(ApiKeys.DESCRIBE_TRANSACTIONS, this::describe),
                api(ApiKeys.LIST_TRANSACTIONS, this::list));
    }

    private CompletableFuture<AbstractResponse> addPartitions(KafkaRequest request) {
        AddPartitionsToTxnRequest body = request.body(AddPartitionsToTxnRequest.class);
        AddPartitionsToTxnResultCollection results = new AddPartitionsToTxnResultCollection();
        boolean fromBroker = request.version() >= FIRST_BROKER_ADD_PARTITIONS_VERSION;
        // v0-3 carry one transaction in fields of their own, which normalizeRequest moves into the v4+ form
        AddPartitionsToTxnRequest normalized = fromBroker ? body : body.normalizeRequest();
        for (AddPartitionsToTxnTransaction transaction : normalized.data().transactions()) {
            Set<TopicPartition> partitions = new LinkedHashSet<>(
                    AddPartitionsToTxnRequest.getPartitions(transaction.topics()));
            Map<TopicPartition, Errors> errors = addPartitions(transaction, partitions, fromBroker);
            results.add(AddPartitionsToTxnResponse.resultForTransaction(transaction.transactionalId(), errors));
        }
        AddPartitionsToTxnResponseData data = new AddPartitionsToTxnResponseData();
        if (!fromBroker) {
            // v0-3 answer one transaction's partitions, without its id
            data.setResultsByTopicV3AndBelow(results.iterator().next().topicResults());
        } else {
            data.setResultsByTransaction(results);
        }
        return done(new AddPartitionsToTxnResponse(data));
    }

    /**
     * One transaction's partitions: refused all together if one is unknown (UNKNOWN_TOPIC_OR_PARTITION for it,
     * OPERATION_NOT_ATTEMPTED for the others, as Kafka answers); a broker's {@code verify_only} asks; a broker's
     * other request is transaction version 2's implicit add.
     */
    private Map<TopicPartition, Errors> addPartitions(AddPartitionsToTxnTransaction transaction,
                                                      Set<TopicPartition> partitions, boolean fromBroker) {
        Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
        Set<TopicPartition> unknown = new HashSet<>();
        for (TopicPartition tp : partitions) {
            if (!topics.topicNames().contains(tp.topic()) || tp.partition() < 0
                    || tp.partition() >= topics.partitionCount(tp.topic()))
                unknown.add(tp);
        }
        if (!unknown.isEmpty()) {
            partitions.forEach(tp -> errors.put(tp, unknown.contains(tp) ? Errors.UNKNOWN_TOPIC_OR_PARTITION
                    : Errors.OPERATION_NOT_ATTEMPTED));
            return errors;
        }
        try {
            if (fromBroker && transaction.verifyOnly())
                return coordinator.verifyPartitions(transaction.transactionalId(), transaction.producerId(),
                        transaction.producerEpoch(), partitions);
            Errors error = coordinator.addPartitions(transaction.transactionalId(), transaction.producerId(),
                    transaction.producerEpoch(), partitions, fromBroker ? 2 : 0);
            partitions.forEach(tp -> errors.put(tp, error));
        } catch (TransactionStoreException e) {
            LOG.log(Level.WARNING, "AddPartitionsToTxn of " + transaction.transactionalId() + " failed", e);
            partitions.forEach(tp -> errors.put(tp, Errors.COORDINATOR_NOT_AVAILABLE));
        }
        return errors;
    }

    private CompletableFuture<AbstractResponse> addOffsets(KafkaRequest request) {
        AddOffsetsToTxnRequestData data = request.body(AddOffsetsToTxnRequest.class).data();
        Errors error = storeFailureAs(() -> coordinator.addOffsets(data.transactionalId(), data.producerId(),
                data.producerEpoch(), data.groupId(), 0), "AddOffsetsToTxn of " + data.transactionalId());
        return done(new AddOffsetsToTxnResponse(new AddOffsetsToTxnResponseData().setErrorCode(error.code())));
    }

    private CompletableFuture<AbstractResponse> endTxn(KafkaRequest request) {
        EndTxnRequestData data = request.body(EndTxnRequest.class).data();
        int transactionVersion = request.version() >= FIRST_END_TXN_VERSION_OF_TV2 ? 2 : 0;
        CompletableFuture<ProducerIdAndEpoch> ended;
        try {
            ended = coordinator.endTransaction(data.transactionalId(), data.producerId(), data.producerEpoch(),
                    data.committed(), transactionVersion);
        } catch (TransactionStoreException e) {
            LOG.log(Level.WARNING, "EndTxn of " + data.transactionalId() + " failed", e);
            ended = CompletableFuture.completedFuture(new ProducerIdAndEpoch(Errors.COORDINATOR_NOT_AVAILABLE, -1,
                    (short) -1));
        }
        return ended.thenApply(answer -> new EndTxnResponse(new EndTxnResponseData()
                .setErrorCode(answer.error().code()).setProducerId(answer.producerId())
                .setProducerEpoch(answer.producerEpoch())));
    }

    private CompletableFuture<AbstractResponse> describe(KafkaRequest request) {
        DescribeTransactionsResponseData response = new DescribeTransactionsResponseData();
        for (String id : request.body(DescribeTransactionsRequest.class).data().transactionalIds()) {
            DescribeTransactionsResponseData.TransactionState state =
                    new DescribeTransactionsResponseData.TransactionState().setTransactionalId(id);
            response.transactionStates().add(state);
            if (!coordinator.coordinates(id)) {
                state.setErrorCode(Errors.NOT_COORDINATOR.code());
                continue;
            }
            try {
                coordinator.describe(id).ifPresentOrElse(m -> describe(m, state),
                        () -> state.setErrorCode(Errors.TRANSACTIONAL_ID_NOT_FOUND.code()));
            } catch (TransactionStoreException e) {
                state.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
            }
        }
        return done(new DescribeTransactionsResponse(response));
    }

    private static void describe(TransactionMetadata m, DescribeTransactionsResponseData.TransactionState state) {
        state.setErrorCode(Errors.NONE.code()).setTransactionState(m.state().kafkaName())
                .setTransactionTimeoutMs(m.timeoutMs()).setTransactionStartTimeMs(m.startTimeMs())
                .setProducerId(m.producerId()).setProducerEpoch(m.producerEpoch());
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        m.partitions().forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        byTopic.forEach((topic, partitions) -> state.topics().add(new TopicData().setTopic(topic)
                .setPartitions(partitions)));
    }

    private CompletableFuture<AbstractResponse> list(KafkaRequest request) {
        ListTransactionsRequestData data = request.body(ListTransactionsRequest.class).data();
        ListTransactionsResponseData response = new ListTransactionsResponseData();
        Set<TransactionState> states = new HashSet<>();
        for (String name : data.stateFilters()) {
            TransactionState.fromKafkaName(name).ifPresentOrElse(states::add,
                    () -> response.unknownStateFilters().add(name));
        }
        if (!response.unknownStateFilters().isEmpty() && states.isEmpty())
            return done(new ListTransactionsResponse(response)); // only unknown states: none can match
        try {
            for (TransactionMetadata m : coordinator.list(TransactionFilter.of(states,
                    new HashSet<>(data.producerIdFilters()), data.transactionalIdPattern(), data.durationFilter()))) {
                if (authorization.mayDescribe(request, ResourceType.TRANSACTIONAL_ID, m.transactionalId()))
                    response.transactionStates().add(new ListTransactionsResponseData.TransactionState()
                            .setTransactionalId(m.transactionalId()).setProducerId(m.producerId())
                            .setTransactionState(m.state().kafkaName()));
            }
        } catch (TransactionStoreException e) {
            response.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        } catch (java.util.regex.PatternSyntaxException e) {
            response.setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code());
        }
        return done(new ListTransactionsResponse(response));
    }

    private static Errors storeFailureAs(java.util.function.Supplier<Errors> call, String what) {
        try {
            return call.get();
        } catch (TransactionStoreException e) {
            LOG.log(Level.WARNING, what + " failed", e);
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
    }

    private static ApiHandler api(ApiKeys key, Function<KafkaRequest, CompletableFuture<AbstractResponse>> serve) {
        return ApiHandler.of(key, key.oldestVersion(), key.latestVersion(), serve);
    }

    private static CompletableFuture<AbstractResponse> done(AbstractResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
