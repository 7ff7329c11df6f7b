package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.topic.HostedReplicas;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResultCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.apache.kafka.common.requests.DeleteRecordsResponse;

/**
 * DeleteRecords: moves each partition's log start offset forward to the requested offset
 * ({@link PartitionLog#advanceLogStartOffset}), -1 meaning the high watermark, and answers the resulting log start
 * offset as the low watermark. An offset beyond the high watermark is OFFSET_OUT_OF_RANGE; one at or below the
 * current start changes nothing. With a single replica the deletion is complete (and durable) when the partition's
 * answer is written, so {@code timeout_ms} is never waited for. A partition named twice counts once, with its last
 * offset, as in Kafka.
 */
public final class DeleteRecordsHandler implements ApiHandler {

    private static final Logger LOG = Logger.getLogger(DeleteRecordsHandler.class.getName());

    private final HostedReplicas replicas;

    public DeleteRecordsHandler(HostedReplicas replicas) {
        this.replicas = replicas;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_RECORDS;
    }

    @Override
    public short oldestVersion() {
        return ApiKeys.DELETE_RECORDS.oldestVersion();
    }

    @Override
    public short latestVersion() {
        return ApiKeys.DELETE_RECORDS.latestVersion();
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        Map<TopicPartition, Long> requested = new LinkedHashMap<>();
        for (DeleteRecordsTopic topic : request.body(DeleteRecordsRequest.class).data().topics()) {
            for (DeleteRecordsPartition partition : topic.partitions())
                requested.put(new TopicPartition(topic.name(), partition.partitionIndex()), partition.offset());
        }
        DeleteRecordsTopicResultCollection results = new DeleteRecordsTopicResultCollection();
        requested.forEach((tp, offset) -> {
            DeleteRecordsTopicResult topic = results.find(tp.topic());
            if (topic == null) {
                topic = new DeleteRecordsTopicResult().setName(tp.topic());
                results.add(topic);
            }
            topic.partitions().add(delete(tp, offset));
        });
        return CompletableFuture.completedFuture(new DeleteRecordsResponse(new DeleteRecordsResponseData()
                .setTopics(results)));
    }

    private DeleteRecordsPartitionResult delete(TopicPartition tp, long offset) {
        DeleteRecordsPartitionResult result = new DeleteRecordsPartitionResult().setPartitionIndex(tp.partition());
        try {
            PartitionLog log = replicas.leaderLog(tp.topic(), tp.partition());
            long before = offset == DeleteRecordsRequest.HIGH_WATERMARK ? log.highWatermark() : offset;
            return result.setErrorCode(Errors.NONE.code()).setLowWatermark(log.advanceLogStartOffset(before));
        } catch (RuntimeException e) {
            Errors error = Errors.forException(e);
            if (error == Errors.UNKNOWN_SERVER_ERROR)
                LOG.log(Level.WARNING, "Deleting records of " + tp + " failed", e);
            return result.setErrorCode(error.code()).setLowWatermark(DeleteRecordsResponse.INVALID_LOW_WATERMARK);
        }
    }
}
