package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.topic.HostedReplicas;
import dev.tributary.broker.topic.TopicMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResultCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;

/**
 * OffsetsForLeaderEpoch, which a consumer sends to validate a position that carries a leader epoch (after a seek,
 * an offset reset or a leader change), and a follower sends to find where its log and the leader's agree: for
 * each partition, the end offset of the requested epoch in the leader's epoch history
 * ({@link PartitionLog#endOffsetForEpoch}). Only the leader answers. Kafka's checks apply: the client's
 * {@code current_leader_epoch} must be the current one (FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH), and a requested
 * epoch newer than any is answered without error but with an undefined epoch and offset, which the consumer takes
 * for a truncated log.
 */
public final class OffsetsForLeaderEpochHandler implements ApiHandler {

    private final TopicMetadata topics;
    private final HostedReplicas replicas;

    public OffsetsForLeaderEpochHandler(TopicMetadata topics, HostedReplicas replicas) {
        this.topics = topics;
        this.replicas = replicas;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FOR_LEADER_EPOCH;
    }

    @Override
    public short oldestVersion() {
        return ApiKeys.OFFSET_FOR_LEADER_EPOCH.oldestVersion();
    }

    @Override
    public short latestVersion() {
        return ApiKeys.OFFSET_FOR_LEADER_EPOCH.latestVersion();
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        OffsetForLeaderTopicResultCollection results = new OffsetForLeaderTopicResultCollection();
        for (OffsetForLeaderTopic topic : request.body(OffsetsForLeaderEpochRequest.class).data().topics()) {
            List<EpochEndOffset> partitions = new ArrayList<>();
            for (OffsetForLeaderPartition partition : topic.partitions())
                partitions.add(endOffset(topic.topic(), partition));
            results.add(new OffsetForLeaderTopicResult().setTopic(topic.topic()).setPartitions(partitions));
        }
        return CompletableFuture.completedFuture(new OffsetsForLeaderEpochResponse(
                new OffsetForLeaderEpochResponseData().setTopics(results)));
    }

    private EpochEndOffset endOffset(String topic, OffsetForLeaderPartition partition) {
        EpochEndOffset result = new EpochEndOffset().setPartition(partition.partition());
        try {
            PartitionLog log = replicas.leaderLog(topic, partition.partition());
            PartitionLeaderEpoch.checkCurrent(partition.currentLeaderEpoch(),
                    topics.leadership(topic, partition.partition()).leaderEpoch(), log.topicPartition().toString());
            dev.tributary.broker.log.EpochEndOffset found = log.endOffsetForEpoch(partition.leaderEpoch());
            return result.setErrorCode(Errors.NONE.code()).setLeaderEpoch(found.leaderEpoch())
                    .setEndOffset(found.endOffset());
        } catch (RuntimeException e) {
            return result.setErrorCode(Errors.forException(e).code())
                    .setLeaderEpoch(OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH)
                    .setEndOffset(OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH_OFFSET);
        }
    }
}
