package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.CloseConnectionException;
import dev.tributary.broker.kafka.network.KafkaRequest;
import dev.tributary.broker.log.LogAppendInfo;
import dev.tributary.broker.replication.LeaderAppends;
import dev.tributary.broker.replication.PendingAppend;
import dev.tributary.broker.replication.RequiredAcks;
import dev.tributary.broker.replication.TransactionVerifier;
import dev.tributary.broker.topic.TopicMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidRequiredAcksException;
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
 * Produce: appends each partition's batches through {@link LeaderAppends}, the leader-write path every writer
 * shares; the partition log's append also deduplicates retries of idempotent producers (answering them with the
 * original offsets). Only the partition's leader appends; other brokers answer NOT_LEADER_OR_FOLLOWER. acks=1 is
 * answered once the leader's append is as durable as the topic's {@code flush.messages} demands; acks=-1 also waits
 * until every in-sync replica has it (the high watermark passed it), up to the request's timeout, and is refused
 * with NOT_ENOUGH_REPLICAS before anything is written while fewer replicas than {@code min.insync.replicas} are in
 * sync. acks=0 gets no response; if any partition failed, the connection is closed instead, as Kafka does, so the
 * client notices.
 *
 * <p>Once every batch is appended the handler releases its connection ({@link KafkaRequest#releaseConnection()})
 * and only then waits for the fsyncs: a pipelining producer's next request is appended while this one's fsync
 * runs, and both share it, so a durable topic is not limited to one fsync per request round trip. The waits for
 * the in-sync replicas hold no thread.
 *
 * <p>Transactional batches (KIP-890): the first batch of a producer's transaction on a partition is checked with
 * the transaction coordinator before it is appended ({@link TransactionVerifier#checkBeforeAppend}): for clients of
 * transaction version 1 (Produce v11 and older) the partition must have been added to the transaction; for clients
 * of version 2 (v12 and later), who no longer add partitions themselves, it is added.
 *
 * <p>From v13 topics are named by id.
 */
public final class ProduceHandler implements ApiHandler {

    private static final Logger LOG = Logger.getLogger(ProduceHandler.class.getName());

    /** Produce versions from this one on come from clients of transaction version 2 (KIP-890 part 2). */
    private static final short FIRST_PRODUCE_VERSION_OF_TV2 = 12;

    private final TopicMetadata topics;
    private final LeaderAppends appends;
    private final TransactionVerifier transactions;

    public ProduceHandler(TopicMetadata topics, LeaderAppends appends, TransactionVerifier transactions) {
        this.topics = topics;
        this.appends = appends;
        this.transactions = transactions;
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
        RequiredAcks required = null;
        RuntimeException requestError = null;
        try {
            required = RequiredAcks.of(acks);
        } catch (InvalidRequiredAcksException e) {
            requestError = e;
        }
        Duration timeout = Duration.ofMillis(Math.max(1, body.timeout()));
        // Append everything first and only then wait for fsyncs: the partitions' fsyncs overlap, and once the
        // batches are in the logs the connection may take this producer's next request, which must follow them.
        List<List<PartitionAppend>> appended = new ArrayList<>();
        for (TopicProduceData topic : body.data().topicData()) {
            String name = version >= 13 ? topics.topicName(topic.topicId()).orElse(null) : topic.name();
            List<PartitionAppend> partitions = new ArrayList<>();
            for (PartitionProduceData partition : topic.partitionData()) {
                partitions.add(requestError != null
                        ? PartitionAppend.failed(partition.index(), requestError)
                        : append(name, topic.topicId(), partition, version, required, timeout,
                                body.transactionalId()));
            }
            appended.add(partitions);
        }
        request.releaseConnection();

        List<List<CompletableFuture<PartitionProduceResponse>>> pending = new ArrayList<>();
        List<CompletableFuture<PartitionProduceResponse>> all = new ArrayList<>();
        for (List<PartitionAppend> topic : appended) {
            List<CompletableFuture<PartitionProduceResponse>> partitions = new ArrayList<>();
            for (PartitionAppend append : topic)
                partitions.add(append.awaitResponse(version));
            pending.add(partitions);
            all.addAll(partitions);
        }
        List<TopicProduceData> topicData = new ArrayList<>(body.data().topicData());
        // Responses never complete exceptionally (failures are error codes), so allOf only waits.
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(done -> {
            TopicProduceResponseCollection responses = new TopicProduceResponseCollection();
            boolean anyFailed = false;
            for (int t = 0; t < topicData.size(); t++) {
                List<PartitionProduceResponse> partitions = new ArrayList<>();
                for (CompletableFuture<PartitionProduceResponse> partition : pending.get(t)) {
                    PartitionProduceResponse response = partition.join();
                    anyFailed |= response.errorCode() != Errors.NONE.code();
                    partitions.add(response);
                }
                TopicProduceData topic = topicData.get(t);
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
                                   RequiredAcks acks, Duration timeout, String transactionalId) {
        int index = partition.index();
        try {
            if (topic == null)
                throw new UnknownTopicIdException("No topic has id " + topicId);
            if (!(partition.records() instanceof MemoryRecords records))
                throw new InvalidRecordException("Produce request for " + topic + "-" + index + " has no records");
            ProduceRequest.validateRecords(version, records);
            // by id from v13, so that an id of a deleted topic never writes to a re-created one of the same name
            boolean addsPartitions = version >= FIRST_PRODUCE_VERSION_OF_TV2;
            LeaderAppends.AppendCheck transaction = (log, batches) ->
                    transactions.checkBeforeAppend(log, batches, transactionalId, addsPartitions);
            PendingAppend pending = version >= 13 ? appends.append(topicId, index, records, acks, timeout, transaction)
                    : appends.append(new TopicPartition(topic, index), records, acks, timeout, transaction);
            return new PartitionAppend(index, pending, null);
        } catch (RuntimeException e) {
            return PartitionAppend.failed(index, e);
        }
    }

    /** One partition's append, written but maybe not yet as durable and replicated as its acks promise. */
    private record PartitionAppend(int index, PendingAppend pending, RuntimeException error) {

        static PartitionAppend failed(int index, RuntimeException error) {
            return new PartitionAppend(index, null, error);
        }

        /**
         * Waits here for the fsync the flush policy demands (it is shared with the requests appended meanwhile),
         * then, for acks=-1, without holding the thread, for the in-sync replicas.
         */
        CompletableFuture<PartitionProduceResponse> awaitResponse(short version) {
            if (error != null)
                return CompletableFuture.completedFuture(ProduceHandler.failed(index, error, version));
            // completion() fails with the cause itself, never wrapped
            return pending.completion().handle((appended, e) -> e == null ? acknowledged(appended, version)
                    : ProduceHandler.failed(index, e instanceof RuntimeException failure ? failure
                            : new KafkaException(e), version));
        }

        private PartitionProduceResponse acknowledged(LogAppendInfo appended, short version) {
            PartitionProduceResponse response = new PartitionProduceResponse()
                    .setIndex(index)
                    .setErrorCode(Errors.NONE.code())
                    .setBaseOffset(appended.firstOffset())
                    .setLogAppendTimeMs(appended.logAppendTime());
            if (version >= 5)
                response.setLogStartOffset(pending.logStartOffset());
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
