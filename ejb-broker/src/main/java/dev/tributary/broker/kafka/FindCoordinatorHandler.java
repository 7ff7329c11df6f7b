package dev.tributary.broker.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;
import org.apache.kafka.common.requests.FindCoordinatorResponse;

/**
 * FindCoordinator: this broker, the only one, coordinates every consumer group. It has no transaction coordinator
 * and no share-group coordinator, so keys of those types are answered INVALID_REQUEST with a message saying so, as
 * Kafka answers a coordinator type it does not know: a transactional producer then fails at once in
 * {@code initTransactions()} with that message, instead of being pointed at a coordinator that would refuse its
 * InitProducerId with an error the client can only call "unexpected". v0-3 ask for one key, v4+ for a batch.
 */
final class FindCoordinatorHandler implements ApiHandler {

    private final BrokerEndpoint broker;

    FindCoordinatorHandler(BrokerEndpoint broker) {
        this.broker = broker;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FIND_COORDINATOR;
    }

    @Override
    public short oldestVersion() {
        return ApiKeys.FIND_COORDINATOR.oldestVersion();
    }

    @Override
    public short latestVersion() {
        return ApiKeys.FIND_COORDINATOR.latestVersion();
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        FindCoordinatorRequestData data = request.body(FindCoordinatorRequest.class).data();
        String refusal = refusal(data.keyType());
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (request.version() < FindCoordinatorRequest.MIN_BATCHED_VERSION) {
            Coordinator answer = answer(data.key(), refusal);
            response.setErrorCode(answer.errorCode()).setErrorMessage(answer.errorMessage())
                    .setNodeId(answer.nodeId()).setHost(answer.host()).setPort(answer.port());
        } else {
            List<Coordinator> coordinators = new ArrayList<>();
            for (String key : data.coordinatorKeys())
                coordinators.add(answer(key, refusal));
            response.setCoordinators(coordinators);
        }
        return CompletableFuture.completedFuture(new FindCoordinatorResponse(response));
    }

    /** Why keys of this type have no coordinator here, or {@code null} if this broker is theirs. */
    private static String refusal(byte keyType) {
        if (keyType == CoordinatorType.GROUP.id())
            return null;
        if (keyType == CoordinatorType.TRANSACTION.id())
            return "Transactions are not supported: this broker has no transaction coordinator";
        if (keyType == CoordinatorType.SHARE.id())
            return "Share groups are not supported: this broker has no share-group coordinator";
        return "Unknown coordinator type " + keyType + " in FindCoordinator request";
    }

    private Coordinator answer(String key, String refusal) {
        if (refusal != null)
            return new Coordinator().setKey(key).setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(refusal)
                    .setNodeId(-1).setHost("").setPort(-1);
        return new Coordinator().setKey(key).setErrorCode(Errors.NONE.code()).setNodeId(broker.brokerId())
                .setHost(broker.host()).setPort(broker.port());
    }
}
