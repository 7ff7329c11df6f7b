package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import dev.tributary.broker.metrics.BrokerMetrics;
import dev.tributary.broker.replication.ReplicaManager;
import dev.tributary.broker.topic.HostedReplicas;
import dev.tributary.broker.topic.TopicMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;

/**
 * Fetch for consumers and for follower replicas: reads the requested partitions ({@link FetchOperation}) and answers at once if that is at
 * least {@code min_bytes}, some partition failed, or {@code max_wait_ms} is 0; otherwise parks the request in the
 * {@link FetchPurgatory} until an append or the timeout.
 *
 * <p>Fetch sessions (KIP-227) are not kept: every response carries session id 0, which tells the client that no
 * session was created, so it keeps sending full fetch requests. A request naming a session gets
 * FETCH_SESSION_ID_NOT_FOUND. From v13 topics are named by id. A partition's {@code current_leader_epoch} is
 * checked as Kafka checks it (see {@link PartitionLeaderEpoch}). A follower's fetch waits for the leader's log end
 * to move rather than its high watermark.
 */
public final class FetchHandler implements ApiHandler {

    private final TopicMetadata topics;
    private final HostedReplicas hosted;
    private final FetchPurgatory purgatory;
    private final BrokerMetrics metrics;
    private final ReplicaManager replicas;

    public FetchHandler(TopicMetadata topics, HostedReplicas hosted, FetchPurgatory purgatory, BrokerMetrics metrics,
                        ReplicaManager replicas) {
        this.topics = topics;
        this.hosted = hosted;
        this.replicas = replicas;
        this.purgatory = purgatory;
        this.metrics = metrics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FETCH;
    }

    @Override
    public short oldestVersion() {
        return ApiKeys.FETCH.oldestVersion();
    }

    @Override
    public short latestVersion() {
        return ApiKeys.FETCH.latestVersion();
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        FetchRequest body = request.body(FetchRequest.class);
        FetchRequestData data = body.data();
        short version = request.version();
        FetchMetadata session = body.metadata();
        if (session.sessionId() != FetchMetadata.INVALID_SESSION_ID)
            return CompletableFuture.completedFuture(sessionError(Errors.FETCH_SESSION_ID_NOT_FOUND));
        if (session.epoch() != FetchMetadata.INITIAL_EPOCH && session.epoch() != FetchMetadata.FINAL_EPOCH)
            return CompletableFuture.completedFuture(sessionError(Errors.INVALID_FETCH_SESSION_EPOCH));

        List<FetchOperation.TopicReads> reads = new ArrayList<>(data.topics().size());
        for (FetchTopic topic : data.topics()) {
            String name = version >= 13 ? topics.topicName(topic.topicId()).orElse(null) : topic.topic();
            Uuid id = version >= 13 ? topic.topicId() : Uuid.ZERO_UUID;
            List<FetchOperation.PartitionRead> partitions = new ArrayList<>(topic.partitions().size());
            for (FetchPartition partition : topic.partitions())
                partitions.add(new FetchOperation.PartitionRead(partition.partition(),
                        partition.currentLeaderEpoch(), partition.fetchOffset(),
                        partition.partitionMaxBytes()));
            reads.add(new FetchOperation.TopicReads(name, id, partitions));
        }
        FetchOperation fetch = new FetchOperation(topics, hosted, version, reads, data.maxBytes(), data.minBytes(),
                body.isolationLevel(), metrics, replicas, body.isFromFollower() ? body.replicaId() : -1);
        FetchOperation.Result now = fetch.read();
        if (data.maxWaitMs() <= 0 || fetch.satisfiedBy(now) || fetch.partitions().isEmpty())
            return CompletableFuture.completedFuture(fetch.answer(now));
        return purgatory.park(fetch, data.maxWaitMs());
    }

    private static FetchResponse sessionError(Errors error) {
        return FetchResponse.of(new FetchResponseData().setErrorCode(error.code())
                .setSessionId(FetchMetadata.INVALID_SESSION_ID).setResponses(new ArrayList<>()));
    }
}
