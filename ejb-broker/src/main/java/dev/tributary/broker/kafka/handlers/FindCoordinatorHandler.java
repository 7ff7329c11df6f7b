package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.cluster.BrokerInfo;
import dev.tributary.broker.cluster.ClusterView;
import dev.tributary.broker.group.CoordinatorPlacement;
import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
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
 * FindCoordinator: the coordinator of a consumer group or of a transactional id (key types 0 and 1) is the live
 * broker {@link CoordinatorPlacement} places the key on, named with the Kafka address that broker announces; every
 * broker gives the same answer from the same view of the cluster. Before this broker joined a cluster it knows of
 * no other and names itself; if the view has no broker to name (this one is leaving it), the answer is
 * COORDINATOR_NOT_AVAILABLE, which clients retry.
 *
 * <p>Tributary has no share-group coordinator, so keys of that type are answered INVALID_REQUEST with a message
 * saying so, as Kafka answers a coordinator type it does not know. v0-3 ask for one key, v4+ for a batch.
 */
public final class FindCoordinatorHandler implements ApiHandler {

    private final BrokerEndpoint broker;
    /** The live brokers at request time; empty until the broker joined a cluster. */
    private final Supplier<ClusterView> liveBrokers;

    public FindCoordinatorHandler(BrokerEndpoint broker, Supplier<ClusterView> liveBrokers) {
        this.broker = broker;
        this.liveBrokers = liveBrokers;
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
        ClusterView live = liveBrokers.get(); // one view for the whole batch
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (request.version() < FindCoordinatorRequest.MIN_BATCHED_VERSION) {
            Coordinator answer = answer(data.key(), refusal, live);
            response.setErrorCode(answer.errorCode()).setErrorMessage(answer.errorMessage())
                    .setNodeId(answer.nodeId()).setHost(answer.host()).setPort(answer.port());
        } else {
            List<Coordinator> coordinators = new ArrayList<>();
            for (String key : data.coordinatorKeys())
                coordinators.add(answer(key, refusal, live));
            response.setCoordinators(coordinators);
        }
        return CompletableFuture.completedFuture(new FindCoordinatorResponse(response));
    }

    /** Why keys of this type have no coordinator here, or {@code null} if this broker is theirs. */
    private static String refusal(byte keyType) {
        if (keyType == CoordinatorType.GROUP.id() || keyType == CoordinatorType.TRANSACTION.id())
            return null;
        if (keyType == CoordinatorType.SHARE.id())
            return "Share groups are not supported: this broker has no share-group coordinator";
        return "Unknown coordinator type " + keyType + " in FindCoordinator request";
    }

    private Coordinator answer(String key, String refusal, ClusterView live) {
        if (refusal != null)
            return failure(key, Errors.INVALID_REQUEST, refusal);
        if (live.brokers().isEmpty()) // not joined yet: alone
            return found(key, broker.brokerId(), broker.host(), broker.port());
        Optional<BrokerInfo> coordinator = CoordinatorPlacement.coordinator(key, live);
        if (coordinator.isEmpty())
            return failure(key, Errors.COORDINATOR_NOT_AVAILABLE, "No live broker can coordinate " + key);
        String address = coordinator.get().kafkaAddress();
        int colon = address.lastIndexOf(':'); // host:port, the host possibly an IPv6 literal with colons of its own
        try {
            return found(key, coordinator.get().id(), address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1)));
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            // No Kafka listener there (only brokers without one are left), or an address we cannot read.
            return failure(key, Errors.COORDINATOR_NOT_AVAILABLE, "Broker " + coordinator.get().id()
                    + " coordinates " + key + " but announces no Kafka address");
        }
    }

    private static Coordinator found(String key, int nodeId, String host, int port) {
        return new Coordinator().setKey(key).setErrorCode(Errors.NONE.code()).setNodeId(nodeId).setHost(host)
                .setPort(port);
    }

    private static Coordinator failure(String key, Errors error, String message) {
        return new Coordinator().setKey(key).setErrorCode(error.code()).setErrorMessage(message).setNodeId(-1)
                .setHost("").setPort(-1);
    }
}
