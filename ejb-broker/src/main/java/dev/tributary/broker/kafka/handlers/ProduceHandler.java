package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.CloseConnectionException;
import dev.tributary.broker.kafka.network.KafkaRequest;
import dev.tributary.broker.log.LogAppendInfo;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.replication.ReplicaManager;
import dev.tributary.broker.topic.HostedReplicas;
import dev.tributary.broker.topic.TopicMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidRequiredAcksException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponseCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;

/**
 * Produce: appends each partition's batches to the partition log, whose append also deduplicates retries of
 * idempotent producers (answering them with the original offsets). Only the partition's leader appends; other
 * brokers answer NOT_LEADER_OR_FOLLOWER. acks=1 is answered once the leader's append is as durable as the topic's
 * {@code flush.messages} demands; acks=-1 also waits until every in-sync replica has it (the high watermark
 * passed it), up to the request's timeout, and is refused with NOT_ENOUGH_REPLICAS before anything is written
 * while fewer replicas than {@code min.insync.replicas} are in sync. acks=0 gets no response; if any partition
 * failed, the connection is closed instead, as Kafka does, so the client notices.
 *
 * <p>Once every batch is appended the handler releases its connection ({@link KafkaRequest#releaseConnection()})
 * and only then waits for the fsyncs: a pipelining producer's next request is appended while this one's fsync
 * runs, and both share it, so a durable topic is not limited to one fsync per request round trip.
 *
 * <p>From v13 topics are named by id. Transactions are not supported: a request with a transactional id fails
 * every partition with INVALID_TXN_STATE.
 */
public final class ProduceHandler implements ApiHandler {

    private static final Logger LOG = Logger.getLogger(ProduceHandler.class.getName());

    private final TopicMetadata topics;
    private final HostedReplicas hosted;
    private final ReplicaManager replicas;

    public ProduceHandler(TopicMetadata topics, HostedReplicas hosted, ReplicaManager replicas) {
        this.topics = topics;
        this.hosted = hosted;
        this.replicas = replicas;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.PRODUCE;
    }

    @Override
    public short oldestVersion() {
        return ApiKeys.PRODUCE.oldestVersion();
    }

    @Override
    public short latestVersion() {
        return ApiKeys.PRODUCE.latestVersion();
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        ProduceRequest body = request.body(ProduceRequest.class);
        short version = request.version();
        short acks = body.acks();
        RuntimeException requestError = null;
        if (acks != 0 && acks != 1 && acks != -1)
            requestError = new InvalidRequiredAcksException("acks must be 0, 1 or -1, was " + acks);
        else if (body.transactionalId() != null)
            requestError = new InvalidTxnStateException("This broker does not support transactions");
        // Append everything first and only then wait for fsyncs: the partitions' fsyncs overlap, and once the
        // batches are in the logs the connection may take this producer's next request, which must follow them.
        List<List<PartitionAppend>> appends = new ArrayList<>();
        for (TopicProduceData topic : body.data().topicData()) {
            String name = version >= 13 ? topics.topicName(topic.topicId()).orElse(null) : topic.name();
            List<PartitionAppend> partitions = new ArrayList<>();
            for (PartitionProduceData partition : topic.partitionData()) {
                partitions.add(requestError != null
                        ? PartitionAppend.failed(partition.index(), requestError)
                        : append(name, topic.topicId(), partition, version, acks == -1));
            }
            appends.add(partitions);
        }
        request.releaseConnection();

        List<List<CompletableFuture<PartitionProduceResponse>>> pending = new ArrayList<>();
        List<CompletableFuture<PartitionProduceResponse>> all = new ArrayList<>();
        for (List<PartitionAppend> topic : appends) {
            List<CompletableFuture<PartitionProduceResponse>> partitions = new ArrayList<>();
            for (PartitionAppend append : topic)
                partitions.add(append.awaitResponse(version, acks == -1, body.timeout()));
            pending.add(partitions);
            all.addAll(partitions);
        }
        List<TopicProduceData> topics = new ArrayList<>(body.data().topicData());
        // Responses never complete exceptionally (failures are error codes), so allOf only waits.
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(done -> {
            TopicProduceResponseCollection responses = new TopicProduceResponseCollection();
            boolean anyFailed = false;
            for (int t = 0; t < topics.size(); t++) {
                List<PartitionProduceResponse> partitions = new ArrayList<>();
                for (CompletableFuture<PartitionProduceResponse> partition : pending.get(t)) {
                    PartitionProduceResponse response = partition.join();
                    anyFailed |= response.errorCode() != Errors.NONE.code();
                    partitions.add(response);
                }
                TopicProduceData topic = topics.get(t);
                TopicProduceResponse topicResponse = new TopicProduceResponse().setPartitionResponses(partitions);
                if (version >= 13)
                    topicResponse.setTopicId(topic.topicId());
                else
                    topicResponse.setName(topic.name());
                responses.add(topicResponse);
            }
            if (acks == 0) {
                if (anyFailed)
                    throw new CloseConnectionException("acks=0 produce on " + request.connectionId()
                            + " failed; closing the connection so the client notices");
                return null;
            }
            return new ProduceResponse(new ProduceResponseData().setResponses(responses));
        });
    }

    private PartitionAppend append(String topic, Uuid topicId, PartitionProduceData partition, short version,
                                   boolean allReplicas) {
        int index = partition.index();
        try {
            if (topic == null)
                throw new UnknownTopicIdException("No topic has id " + topicId);
            if (!(partition.records() instanceof MemoryRecords records))
                throw new InvalidRecordException("Produce request for " + topic + "-" + index + " has no records");
            ProduceRequest.validateRecords(version, records);
            // by id from v13, so that an id of a deleted topic never writes to a re-created one of the same name
            PartitionLog log = version >= 13 ? hosted.leaderLog(topicId, index) : hosted.leaderLog(topic, index);
            if (allReplicas)
                replicas.checkEnoughReplicas(log.topicPartition());
            return new PartitionAppend(index, log, log.appendUnflushed(records), null, replicas);
        } catch (RuntimeException e) {
            return PartitionAppend.failed(index, e);
        }
    }

    /** One partition's append, written but maybe not yet as durable as its acknowledgement promises. */
    private record PartitionAppend(int index, PartitionLog log, LogAppendInfo appended, RuntimeException error,
                                   ReplicaManager replicas) {

        static PartitionAppend failed(int index, RuntimeException error) {
            return new PartitionAppend(index, null, null, error, null);
        }

        /**
         * Waits here for the fsync the flush policy demands (it is shared with the requests appended meanwhile),
         * then, for acks=-1, without holding the thread, for the in-sync replicas.
         */
        CompletableFuture<PartitionProduceResponse> awaitResponse(short version, boolean allReplicas,
                                                                  int timeoutMs) {
            if (error != null)
                return CompletableFuture.completedFuture(ProduceHandler.failed(index, error, version));
            try {
                log.awaitFlushPolicy(appended);
            } catch (RuntimeException e) {
                return CompletableFuture.completedFuture(ProduceHandler.failed(index, e, version));
            }
            if (!allReplicas)
                return CompletableFuture.completedFuture(acknowledged(version));
            return replicas.awaitReplicated(log.topicPartition(), appended.lastOffset() + 1)
                    .orTimeout(Math.max(1, timeoutMs), TimeUnit.MILLISECONDS)
                    .handle((replicated, e) -> e == null ? acknowledged(version)
                            : ProduceHandler.failed(index, replicationFailure(e, timeoutMs), version));
        }

        private static RuntimeException replicationFailure(Throwable e, int timeoutMs) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof java.util.concurrent.TimeoutException)
                return new TimeoutException("The in-sync replicas did not all receive the records within the"
                        + " request timeout of " + timeoutMs + " ms");
            return cause instanceof RuntimeException runtime ? runtime : new KafkaException(cause);
        }

        private PartitionProduceResponse acknowledged(short version) {
            PartitionProduceResponse response = new PartitionProduceResponse()
                    .setIndex(index)
                    .setErrorCode(Errors.NONE.code())
                    .setBaseOffset(appended.firstOffset())
                    .setLogAppendTimeMs(appended.logAppendTime());
            if (version >= 5)
                response.setLogStartOffset(log.logStartOffset());
            return response;
        }
    }

    private static PartitionProduceResponse failed(int index, RuntimeException e, short version) {
        Errors error = Errors.forException(e);
        if (error == Errors.UNKNOWN_SERVER_ERROR)
            LOG.log(Level.WARNING, "Unexpected error producing to partition " + index, e);
        PartitionProduceResponse response = new PartitionProduceResponse()
                .setIndex(index)
                .setErrorCode(error.code())
                .setBaseOffset(ProduceResponse.INVALID_OFFSET)
                .setLogAppendTimeMs(-1);
        if (version >= 8)
            response.setErrorMessage(e.getMessage());
        return response;
    }
}
