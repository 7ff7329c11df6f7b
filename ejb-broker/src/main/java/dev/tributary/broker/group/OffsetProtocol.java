package dev.tributary.broker.group;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Committed offsets: OffsetCommit (with Kafka's validation of who may commit), OffsetFetch, OffsetDelete and
 * operator resets, written through the {@link OffsetStore} before they are acknowledged or cached.
 *
 * <p>Who may commit (Kafka's {@code ClassicGroup.validateOffsetCommit}): a member of the current generation; or
 * anyone with generation -1 and no member id while the group is Empty — a "simple" commit of a consumer that
 * {@code assign()}s its partitions, or of an admin tool. A commit naming a member must match it and its generation;
 * a commit while the group waits for SyncGroup gets REBALANCE_IN_PROGRESS, as Kafka answers.
 *
 * <p>In a consumer group (KIP-848, Kafka's {@code ConsumerGroup.validateOffsetCommit}) the generation is the
 * member's epoch: a commit must come from a member at its current epoch (STALE_MEMBER_EPOCH otherwise, after which
 * the client retries with the epoch its next heartbeat brings), with OffsetCommit v9 or later; OffsetFetch v9+
 * naming a member is checked the same way. Simple commits work while the group has no members.
 *
 * <p>Topics are named, not identified by topic id: the Kafka protocol layer resolves OffsetCommit/OffsetFetch v10
 * topic ids to names before calling, as Kafka's {@code KafkaApis} does, and checks that the topics exist (the
 * coordinator does not know the topic registry).
 *
 * <p>Concurrency: every method works on a group under its monitor, through {@link Groups}; the store write happens
 * under it too, which orders one group's commits identically in the store and the cache.
 */
final class OffsetProtocol {

    private static final Logger LOG = Logger.getLogger(OffsetProtocol.class.getName());

    private final Groups groups;
    private final OffsetStore store;
    private final GroupCoordinatorConfig config;
    private final Clock clock;

    OffsetProtocol(Groups groups, OffsetStore store, GroupCoordinatorConfig config, Clock clock) {
        this.groups = groups;
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    // ---- OffsetCommit ----

    OffsetCommitResponseData commit(OffsetCommitRequestData request, short version) {
        if (request.generationIdOrMemberEpoch() < 0) {
            // A simple commit may create its group (Empty, holding only offsets), as Kafka does.
            return groups.withGroupOrCreate(request.groupId(), ClassicGroup::new,
                    group -> commit(group, request, version));
        }
        // A member naming a group unknown here lost it to a coordinator move: classic groups' membership is not handed
        // over (docs/cluster.md). ILLEGAL_GENERATION makes any client rejoin; Kafka's GROUP_ID_NOT_FOUND for v9+ (its
        // groups are never lost that way) is fatal to a classic consumer's commit.
        return groups.withGroup(request.groupId(), group -> commit(group, request, version),
                () -> commitError(request, Errors.ILLEGAL_GENERATION));
    }

    private OffsetCommitResponseData commit(Group group, OffsetCommitRequestData request, short version) {
        String instanceId = version >= 7 ? request.groupInstanceId() : null;
        Errors error;
        if (group instanceof ClassicGroup classic) {
            error = validateCommit(classic, request.memberId(), instanceId, request.generationIdOrMemberEpoch());
            ClassicGroupMember member = error == Errors.NONE ? classic.member(request.memberId()) : null;
            if (member != null) {
                member.heartbeat(clock.millis()); // a committing member is alive, as Kafka counts it
            }
        } else {
            error = validateCommit((ConsumerGroup) group, request.memberId(), request.generationIdOrMemberEpoch(),
                    version);
        }
        if (error != Errors.NONE) {
            return commitError(request, error);
        }
        Instant now = clock.instant();
        Map<TopicPartition, CommittedOffset> accepted = new LinkedHashMap<>();
        Map<TopicPartition, OffsetCommitResponsePartition> results = new LinkedHashMap<>();
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
            OffsetCommitResponseTopic topicResult = new OffsetCommitResponseTopic().setName(topic.name())
                    .setTopicId(topic.topicId());
            response.topics().add(topicResult);
            for (OffsetCommitRequestData.OffsetCommitRequestPartition partition : topic.partitions()) {
                OffsetCommitResponsePartition result = new OffsetCommitResponsePartition()
                        .setPartitionIndex(partition.partitionIndex());
                topicResult.partitions().add(result);
                String metadata = partition.committedMetadata() == null ? "" : partition.committedMetadata();
                if (topic.name() == null || topic.name().isEmpty()) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()); // the protocol layer did not resolve it
                } else if (metadata.length() > config.offsetMetadataMaxBytes()) {
                    result.setErrorCode(Errors.OFFSET_METADATA_TOO_LARGE.code());
                } else {
                    TopicPartition tp = new TopicPartition(topic.name(), partition.partitionIndex());
                    int epoch = partition.committedLeaderEpoch();
                    accepted.put(tp, new CommittedOffset(partition.committedOffset(),
                            epoch < 0 ? OptionalInt.empty() : OptionalInt.of(epoch), metadata, now));
                    results.put(tp, result);
                }
            }
        }
        if (!accepted.isEmpty()) {
            try {
                store.commit(group.groupId(), accepted);
                group.offsets().putAll(accepted);
            } catch (OffsetStoreException e) {
                LOG.log(Level.WARNING, "Cannot store offsets of group " + group.groupId(), e);
                results.values().forEach(r -> r.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()));
            }
        }
        return response;
    }

    private static Errors validateCommit(ClassicGroup group, String memberId, String instanceId, int generation) {
        if (generation < 0 && group.isIn(GroupState.EMPTY)) {
            return Errors.NONE;
        }
        if (generation >= 0 || !memberId.isEmpty() || instanceId != null) {
            Errors error = group.validateMember(memberId, instanceId);
            if (error != Errors.NONE) {
                return error;
            }
            if (generation != group.generationId()) {
                return Errors.ILLEGAL_GENERATION;
            }
        } else {
            // No member, no generation, and the group has members: not a commit this group can take.
            return Errors.UNKNOWN_MEMBER_ID;
        }
        // The member has this generation from its JoinGroup but not yet its assignment: it must sync first.
        return group.isIn(GroupState.COMPLETING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
    }

    /** Kafka's {@code ConsumerGroup.validateOffsetCommit}. */
    private static Errors validateCommit(ConsumerGroup group, String memberId, int memberEpoch, short version) {
        if (memberEpoch < 0 && group.isEmpty()) {
            return Errors.NONE;
        }
        ConsumerGroupMember member = group.member(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (version < 9) {
            return Errors.UNSUPPORTED_VERSION; // consumer-protocol members commit with v9+
        }
        return memberEpoch == member.memberEpoch() ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
    }

    static OffsetCommitResponseData commitError(OffsetCommitRequestData request, Errors error) {
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
            OffsetCommitResponseTopic result = new OffsetCommitResponseTopic().setName(topic.name())
                    .setTopicId(topic.topicId());
            topic.partitions().forEach(p -> result.partitions().add(new OffsetCommitResponsePartition()
                    .setPartitionIndex(p.partitionIndex()).setErrorCode(error.code())));
            response.topics().add(result);
        }
        return response;
    }

    // ---- OffsetFetch ----

    /** Partitions a fetch asks for: a topic (by name; its id is echoed) and partitions. */
    record RequestedTopic(String name, Uuid topicId, List<Integer> partitions) {
    }

    /** What one group's fetch found; {@code offset} is empty where nothing is committed. */
    record FetchedPartition(int partition, Optional<CommittedOffset> offset, Errors error) {
    }

    record FetchedTopic(String name, Uuid topicId, List<FetchedPartition> partitions) {
    }

    record FetchedGroup(Errors error, List<FetchedTopic> topics) {
    }

    /**
     * One group's committed offsets for the requested partitions, or all of them ({@code requested} null). An
     * unknown group has no offsets, which is not an error (Kafka answers the same). A consumer group checks the
     * member and epoch a v9+ fetch names (null and -1 when it names none, as admin tools send).
     */
    FetchedGroup fetch(String groupId, String memberId, int memberEpoch, List<RequestedTopic> requested) {
        Errors[] refused = {Errors.NONE};
        Map<TopicPartition, CommittedOffset> offsets = groups.withGroup(groupId, group -> {
            if (group instanceof ConsumerGroup consumer && (memberId != null || memberEpoch >= 0)) {
                ConsumerGroupMember member = consumer.member(memberId);
                refused[0] = member == null ? Errors.UNKNOWN_MEMBER_ID
                        : member.memberEpoch() != memberEpoch ? Errors.STALE_MEMBER_EPOCH : Errors.NONE;
            }
            return group.offsets().all();
        }, Map::of);
        if (refused[0] != Errors.NONE) {
            return new FetchedGroup(refused[0], List.of());
        }
        List<FetchedTopic> topics = new ArrayList<>();
        if (requested == null) {
            Map<String, List<FetchedPartition>> byTopic = new TreeMap<>();
            offsets.entrySet().stream()
                    .sorted(Comparator.comparing((Map.Entry<TopicPartition, CommittedOffset> e) -> e.getKey().topic())
                            .thenComparingInt(e -> e.getKey().partition()))
                    .forEach(e -> byTopic.computeIfAbsent(e.getKey().topic(), t -> new ArrayList<>())
                            .add(new FetchedPartition(e.getKey().partition(), Optional.of(e.getValue()),
                                    Errors.NONE)));
            byTopic.forEach((topic, partitions) -> topics.add(new FetchedTopic(topic, Uuid.ZERO_UUID, partitions)));
        } else {
            for (RequestedTopic topic : requested) {
                List<FetchedPartition> partitions = new ArrayList<>();
                for (int partition : topic.partitions()) {
                    if (topic.name() == null || topic.name().isEmpty()) {
                        partitions.add(new FetchedPartition(partition, Optional.empty(), Errors.UNKNOWN_TOPIC_ID));
                    } else {
                        partitions.add(new FetchedPartition(partition,
                                Optional.ofNullable(offsets.get(new TopicPartition(topic.name(), partition))),
                                Errors.NONE));
                    }
                }
                topics.add(new FetchedTopic(topic.name(), topic.topicId(), partitions));
            }
        }
        return new FetchedGroup(Errors.NONE, topics);
    }

    // ---- OffsetDelete ----

    OffsetDeleteResponseData delete(OffsetDeleteRequestData request) {
        return groups.withGroup(request.groupId(), group -> delete(group, request),
                () -> new OffsetDeleteResponseData().setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()));
    }

    /**
     * Kafka's rules: any offset of an Empty group may go; of a live consumer group only those of topics no member
     * subscribes to (GROUP_SUBSCRIBED_TO_TOPIC otherwise); of any other live group none (NON_EMPTY_GROUP).
     */
    private OffsetDeleteResponseData delete(Group group, OffsetDeleteRequestData request) {
        boolean empty = group.isEmpty();
        if (!empty && !group.protocolType().orElse("").equals(ClassicGroup.CONSUMER_PROTOCOL_TYPE)) {
            return new OffsetDeleteResponseData().setErrorCode(Errors.NON_EMPTY_GROUP.code());
        }
        OffsetDeleteResponseData response = new OffsetDeleteResponseData();
        List<TopicPartition> deletable = new ArrayList<>();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : request.topics()) {
            OffsetDeleteResponseData.OffsetDeleteResponseTopic topicResult =
                    new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(topic.name());
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition partition : topic.partitions()) {
                Errors error = !empty && group.isSubscribedTo(topic.name())
                        ? Errors.GROUP_SUBSCRIBED_TO_TOPIC : Errors.NONE;
                if (error == Errors.NONE) {
                    deletable.add(new TopicPartition(topic.name(), partition.partitionIndex()));
                }
                topicResult.partitions().add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                        .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code()));
            }
            response.topics().add(topicResult);
        }
        if (!deletable.isEmpty()) {
            try {
                store.delete(group.groupId(), deletable);
                group.offsets().removeAll(deletable);
            } catch (OffsetStoreException e) {
                LOG.log(Level.WARNING, "Cannot delete offsets of group " + group.groupId(), e);
                return new OffsetDeleteResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
            }
        }
        return response;
    }

    // ---- operator resets ----

    /**
     * Sets offsets (without metadata or leader epoch) of a group nobody consumes in: resetting under running
     * consumers would be overwritten by their next commit, so it is refused, as Kafka's tools refuse it.
     *
     * @throws GroupNotEmptyException if the group has members
     * @throws OffsetStoreException if the offsets could not be stored (none were)
     */
    void reset(String groupId, Map<TopicPartition, Long> offsets) {
        offsets.forEach((tp, offset) -> {
            if (offset < 0) {
                throw new IllegalArgumentException("Offset " + offset + " for " + tp + " is negative");
            }
        });
        groups.withGroupOrCreate(groupId, ClassicGroup::new, group -> {
            if (!group.isEmpty()) {
                throw new GroupNotEmptyException("Group " + groupId + " is " + group.state().kafkaName() + " with "
                        + group.size() + " member(s); stop its consumers before resetting its offsets");
            }
            Instant now = clock.instant();
            Map<TopicPartition, CommittedOffset> reset = new LinkedHashMap<>();
            offsets.forEach((tp, offset) -> reset.put(tp, new CommittedOffset(offset, OptionalInt.empty(), "", now)));
            store.commit(groupId, reset);
            group.offsets().putAll(reset);
            LOG.info(() -> "Reset offsets of group " + groupId + ": " + offsets);
            return null;
        });
    }
}
