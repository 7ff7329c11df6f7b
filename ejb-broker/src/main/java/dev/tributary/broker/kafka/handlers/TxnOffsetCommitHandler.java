package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.group.GroupCoordinator;
import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import dev.tributary.broker.replication.TransactionVerifier;
import dev.tributary.broker.topic.TopicMetadata;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;

/**
 * TxnOffsetCommit, served by the group's coordinator: the offsets are staged for the producer's transaction
 * ({@link GroupCoordinator#commitTransactionalOffsets}) and become the group's committed offsets when it commits.
 * From v5 the client uses transaction version 2 and has not called AddOffsetsToTxn: the group is added to its
 * transaction here, through the {@link TransactionVerifier}, first. Topics must exist (UNKNOWN_TOPIC_OR_PARTITION
 * otherwise). v6 names topics by id, which is not served: clients negotiate down to v5.
 */
public final class TxnOffsetCommitHandler implements ApiHandler {

    private static final short LAST_VERSION_WITH_TOPIC_NAMES = 5;

    private final GroupCoordinator groups;
    private final TransactionVerifier transactions;
    private final TopicMetadata topics;

    public TxnOffsetCommitHandler(GroupCoordinator groups, TransactionVerifier transactions, TopicMetadata topics) {
        this.groups = groups;
        this.transactions = transactions;
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.TXN_OFFSET_COMMIT;
    }

    @Override
    public short oldestVersion() {
        return ApiKeys.TXN_OFFSET_COMMIT.oldestVersion();
    }

    @Override
    public short latestVersion() {
        return LAST_VERSION_WITH_TOPIC_NAMES;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        TxnOffsetCommitRequestData data = request.body(TxnOffsetCommitRequest.class).data();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : data.topics()) {
            if (!topics.topicNames().contains(topic.name()))
                return done(TxnOffsetCommitRequest.getErrorResponse(data, Errors.UNKNOWN_TOPIC_OR_PARTITION));
        }
        if (request.version() > TxnOffsetCommitRequest.LAST_STABLE_VERSION_BEFORE_TRANSACTION_V2) {
            Errors added = transactions.addOffsets(data.transactionalId(), data.producerId(), data.producerEpoch(),
                    data.groupId());
            if (added != Errors.NONE)
                return done(TxnOffsetCommitRequest.getErrorResponse(data, added));
        }
        return done(groups.commitTransactionalOffsets(data));
    }

    private static CompletableFuture<AbstractResponse> done(TxnOffsetCommitResponseData data) {
        return CompletableFuture.completedFuture(new TxnOffsetCommitResponse(data));
    }
}
