package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import dev.tributary.broker.log.ActiveProducer;
import dev.tributary.broker.topic.HostedReplicas;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeProducersResponseData.PartitionResponse;
import org.apache.kafka.common.message.DescribeProducersResponseData.ProducerState;
import org.apache.kafka.common.message.DescribeProducersResponseData.TopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeProducersRequest;
import org.apache.kafka.common.requests.DescribeProducersResponse;

/**
 * DescribeProducers: the idempotent and transactional producers a partition's leader knows, with the first offset
 * of each one's open transaction; {@code kafka-transactions.sh find-hanging} compares these with the coordinators'
 * view to find transactions no coordinator will end.
 */
public final class DescribeProducersHandler implements ApiHandler {

    private final HostedReplicas topics;

    public DescribeProducersHandler(HostedReplicas topics) {
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_PRODUCERS;
    }

    @Override
    public short oldestVersion() {
        return ApiKeys.DESCRIBE_PRODUCERS.oldestVersion();
    }

    @Override
    public short latestVersion() {
        return ApiKeys.DESCRIBE_PRODUCERS.latestVersion();
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        DescribeProducersResponseData response = new DescribeProducersResponseData();
        for (DescribeProducersRequestData.TopicRequest topic : request.body(DescribeProducersRequest.class).data()
                .topics()) {
            TopicResponse topicResponse = new TopicResponse().setName(topic.name());
            response.topics().add(topicResponse);
            for (int partition : topic.partitionIndexes()) {
                PartitionResponse partitionResponse = new PartitionResponse().setPartitionIndex(partition);
                topicResponse.partitions().add(partitionResponse);
                try {
                    for (ActiveProducer producer : topics.leaderLog(topic.name(), partition).activeProducers())
                        partitionResponse.activeProducers().add(new ProducerState()
                                .setProducerId(producer.producerId()).setProducerEpoch(producer.epoch())
                                .setLastSequence(producer.lastSequence()).setLastTimestamp(producer.lastTimestamp())
                                .setCoordinatorEpoch(producer.coordinatorEpoch())
                                .setCurrentTxnStartOffset(producer.currentTxnStartOffset()));
                    partitionResponse.setErrorCode(Errors.NONE.code());
                } catch (RuntimeException e) {
                    partitionResponse.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
                }
            }
        }
        return CompletableFuture.completedFuture(new DescribeProducersResponse(response));
    }
}
