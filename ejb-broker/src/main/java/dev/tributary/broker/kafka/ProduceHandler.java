package dev.tributary.broker.kafka;

import dev.tributary.broker.log.LogAppendInfo;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.topic.TopicRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidRequiredAcksException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
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
 * idempotent producers (answering them with the original offsets). With one replica, acks=1 and acks=-1 mean the
 * same: the append returns once it is as durable as the topic's {@code flush.messages} demands. acks=0 gets no
 * response; if any partition failed, the connection is closed instead, as Kafka does, so the client notices.
 *
 * <p>From v13 topics are named by id. Transactions are not supported: a request with a transactional id fails
 * every partition with INVALID_TXN_STATE.
 */
final class ProduceHandler implements ApiHandler {

    private static final Logger LOG = Logger.getLogger(ProduceHandler.class.getName());

    private final TopicRegistry topics;
    private final TopicIds topicIds;

    ProduceHandler(TopicRegistry topics, TopicIds topicIds) {
        this.topics = topics;
        this.topicIds = topicIds;
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
        TopicProduceResponseCollection responses = new TopicProduceResponseCollection();
        boolean anyFailed = false;
        for (TopicProduceData topic : body.data().topicData()) {
            String name = version >= 13 ? topicIds.name(topic.topicId()).orElse(null) : topic.name();
            List<PartitionProduceResponse> partitions = new ArrayList<>();
            for (PartitionProduceData partition : topic.partitionData()) {
                PartitionProduceResponse response = requestError != null
                        ? failed(partition.index(), requestError, version)
                        : append(name, topic.topicId(), partition, version);
                anyFailed |= response.errorCode() != Errors.NONE.code();
                partitions.add(response);
            }
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
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.completedFuture(new ProduceResponse(new ProduceResponseData()
                .setResponses(responses)));
    }

    private PartitionProduceResponse append(String topic, Uuid topicId, PartitionProduceData partition,
                                            short version) {
        int index = partition.index();
        try {
            if (topic == null)
                throw new UnknownTopicIdException("No topic has id " + topicId);
            if (!(partition.records() instanceof MemoryRecords records))
                throw new InvalidRecordException("Produce request for " + topic + "-" + index + " has no records");
            ProduceRequest.validateRecords(version, records);
            PartitionLog log = topics.partitionLog(topic, index);
            LogAppendInfo result = log.append(records);
            PartitionProduceResponse response = new PartitionProduceResponse()
                    .setIndex(index)
                    .setErrorCode(Errors.NONE.code())
                    .setBaseOffset(result.firstOffset())
                    .setLogAppendTimeMs(result.logAppendTime());
            if (version >= 5)
                response.setLogStartOffset(log.logStartOffset());
            return response;
        } catch (RuntimeException e) {
            return failed(index, e, version);
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
