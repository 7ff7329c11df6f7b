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
import org.apache.kafka.common.requests.FindCoordinatorResponse;

/**
 * FindCoordinator: this broker coordinates every key — groups, transactions and share groups alike — since it is
 * the only broker. (Only the classic group coordinator exists behind it: transactions and share groups are not
 * supported.) v0-3 ask for one key, v4+ for a batch.
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
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (request.version() < FindCoordinatorRequest.MIN_BATCHED_VERSION) {
            response.setErrorCode(Errors.NONE.code()).setNodeId(broker.brokerId()).setHost(broker.host())
                    .setPort(broker.port());
        } else {
            List<Coordinator> coordinators = new ArrayList<>();
            for (String key : data.coordinatorKeys())
                coordinators.add(new Coordinator().setKey(key).setErrorCode(Errors.NONE.code())
                        .setNodeId(broker.brokerId()).setHost(broker.host()).setPort(broker.port()));
            response.setCoordinators(coordinators);
        }
        return CompletableFuture.completedFuture(new FindCoordinatorResponse(response));
    }
}
