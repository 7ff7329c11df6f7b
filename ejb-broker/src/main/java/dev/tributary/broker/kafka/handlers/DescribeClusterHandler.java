package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBrokerCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.DescribeClusterResponse;

/** DescribeCluster: the live brokers, unfenced, and the controller ({@link LiveBrokers}). */
public final class DescribeClusterHandler implements ApiHandler {

    /** Kafka's {@code EndpointType}: clients ask for brokers (1); a controller endpoint (2) is not served here. */
    private static final byte ENDPOINT_BROKER = 1;

    private final BrokerEndpoint broker;
    private final LiveBrokers liveBrokers;

    public DescribeClusterHandler(BrokerEndpoint broker, LiveBrokers liveBrokers) {
        this.broker = broker;
        this.liveBrokers = liveBrokers;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLUSTER;
    }

    @Override
    public short oldestVersion() {
        return ApiKeys.DESCRIBE_CLUSTER.oldestVersion();
    }

    @Override
    public short latestVersion() {
        return ApiKeys.DESCRIBE_CLUSTER.latestVersion();
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        DescribeClusterRequestData data = request.body(DescribeClusterRequest.class).data();
        DescribeClusterResponseData response = new DescribeClusterResponseData();
        if (request.version() >= 1 && data.endpointType() != ENDPOINT_BROKER) {
            return CompletableFuture.completedFuture(new DescribeClusterResponse(response
                    .setErrorCode(Errors.MISMATCHED_ENDPOINT_TYPE.code())
                    .setErrorMessage("This listener serves broker endpoints only")
                    .setEndpointType(ENDPOINT_BROKER)));
        }
        DescribeClusterBrokerCollection brokers = new DescribeClusterBrokerCollection();
        for (LiveBrokers.Node node : liveBrokers.nodes())
            brokers.add(new DescribeClusterBroker().setBrokerId(node.id()).setHost(node.host())
                    .setPort(node.port()).setRack(null));
        response.setErrorCode(Errors.NONE.code())
                .setClusterId(broker.clusterId())
                .setControllerId(liveBrokers.controllerId())
                .setBrokers(brokers);
        if (request.version() >= 1)
            response.setEndpointType(ENDPOINT_BROKER);
        return CompletableFuture.completedFuture(new DescribeClusterResponse(response));
    }
}
