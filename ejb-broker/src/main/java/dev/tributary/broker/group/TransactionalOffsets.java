package dev.tributary.broker.group;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.Errors;

/**
 * Offsets committed inside transactions (Kafka's TxnOffsetCommit and the group coordinator's handling of
 * transaction markers): staged per producer in the {@link TransactionalOffsetStore}, invisible to OffsetFetch, then
 * made the group's committed offsets when the producer's transaction commits ({@link #complete}), or dropped when it
 * aborts. A group with pending offsets in a partition answers a stable OffsetFetch (a read_committed consumer's,
 * {@code require_stable}) UNSTABLE_OFFSET_COMMIT for it, and the consumer retries.
 *
 * <p>Who may commit (Kafka's {@code validateTxnOffsetCommit}): anyone without member id and generation (a producer
 * that is not part of the group); otherwise a member of the group's current generation.
 *
 * <p>Concurrency: as {@link OffsetProtocol}, every change happens under the group's monitor.
 */
final class TransactionalOffsets {

    private static final Logger LOG = Logger.getLogger(TransactionalOffsets.class.getName());

    private final Groups groups;
    private final TransactionalOffsetStore store;
    private final GroupCoordinatorConfig config;
    private final Clock clock;

    TransactionalOffsets(Groups groups, TransactionalOffsetStore store, GroupCoordinatorConfig config, Clock clock) {
        this.groups = groups;
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    TxnOffsetCommitResponseData commit(TxnOffsetCommitRequestData request) {
        return groups.withGroupOrCreate(request.groupId(), ClassicGroup::new, group -> {
            Errors invalid = validate(group, request);
            if (invalid != Errors.NONE)
                return error(request, invalid);
            Instant now = clock.instant();
            Map<TopicPartition, CommittedOffset> staged = new LinkedHashMap<>();
            TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
            List<TxnOffsetCommitResponsePartition> accepted = new java.util.ArrayList<>();
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : request.topics()) {
                TxnOffsetCommitResponseTopic result = new TxnOffsetCommitResponseTopic().setName(topic.name());
                response.topics().add(result);
                for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition partition : topic.partitions()) {
                    TxnOffsetCommitResponsePartition partitionResult = new TxnOffsetCommitResponsePartition()
                            .setPartitionIndex(partition.partitionIndex());
                    result.partitions().add(partitionResult);
                    String metadata = partition.committedMetadata() == null ? "" : partition.committedMetadata();
                    if (metadata.length() > config.offsetMetadataMaxBytes()) {
                        partitionResult.setErrorCode(Errors.OFFSET_METADATA_TOO_LARGE.code());
                        continue;
                    }
                    int epoch = partition.committedLeaderEpoch();
                    staged.put(new TopicPartition(topic.name(), partition.partitionIndex()),
                            new CommittedOffset(partition.committedOffset(),
                                    epoch < 0 ? OptionalInt.empty() : OptionalInt.of(epoch), metadata, now));
                    accepted.add(partitionResult.setErrorCode(Errors.NONE.code()));
                }
            }
            if (!staged.isEmpty()) {
                try {
                    store.stage(group.groupId(), request.producerId(), staged);
                } catch (OffsetStoreException e) {
                    LOG.log(Level.WARNING, "Cannot stage transactional offsets of group " + group.groupId(), e);
                    accepted.forEach(p -> p.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()));
                }
            }
            return response;
        });
    }

    private static Errors validate(Group group, TxnOffsetCommitRequestData request) {
        return group instanceof ConsumerGroup consumer ? validate(consumer, request)
                : validate((ClassicGroup) group, request);
    }

    /**
     * As Kafka checks a transactional commit to a consumer-protocol group: without members anyone may commit;
     * otherwise the member must exist and name its current epoch (ILLEGAL_GENERATION, not STALE_MEMBER_EPOCH, since
     * the producer cannot retry a transaction's commit with a newer epoch).
     */
    private static Errors validate(ConsumerGroup group, TxnOffsetCommitRequestData request) {
        if (request.generationIdOrMemberEpoch() < 0 && group.isEmpty())
            return Errors.NONE;
        ConsumerGroupMember member = group.member(request.memberId());
        if (member == null)
            return Errors.UNKNOWN_MEMBER_ID;
        return request.generationIdOrMemberEpoch() == member.memberEpoch() ? Errors.NONE : Errors.ILLEGAL_GENERATION;
    }

    private static Errors validate(ClassicGroup group, TxnOffsetCommitRequestData request) {
        boolean anonymous = request.generationIdOrMemberEpoch() < 0 && (request.memberId() == null || request.memberId().isEmpty())
                && request.groupInstanceId() == null;
        if (anonymous)
            return Errors.NONE;
        Errors error = group.validateMember(request.memberId(), request.groupInstanceId());
        if (error != Errors.NONE)
            return error;
        return request.generationIdOrMemberEpoch() == group.generationId() ? Errors.NONE : Errors.ILLEGAL_GENERATION;
    }

    static TxnOffsetCommitResponseData error(TxnOffsetCommitRequestData request, Errors error) {
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : request.topics()) {
            TxnOffsetCommitResponseTopic result = new TxnOffsetCommitResponseTopic().setName(topic.name());
            topic.partitions().forEach(p -> result.partitions().add(new TxnOffsetCommitResponsePartition()
                    .setPartitionIndex(p.partitionIndex()).setErrorCode(error.code())));
            response.topics().add(result);
        }
        return response;
    }

    /**
     * The producer's transaction ended: its pending offsets of every group become committed (commit) or are dropped
     * (abort), in the store, then in the cache of each group this coordinator holds.
     *
     * @throws OffsetStoreException if the store could not complete a group's offsets; the caller retries
     */
    void complete(long producerId, boolean commit) {
        for (String groupId : store.groupsWithPending(producerId)) {
            groups.withGroupOrCreate(groupId, ClassicGroup::new, group -> {
                Map<TopicPartition, CommittedOffset> committed = store.complete(groupId, producerId, commit);
                group.offsets().putAll(committed);
                return null;
            });
        }
    }

    /** The partitions of the group whose offsets wait for a transaction to end. */
    Set<TopicPartition> pending(String groupId) {
        return store.pendingPartitions(groupId);
    }
}
