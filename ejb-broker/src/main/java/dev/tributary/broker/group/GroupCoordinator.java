package dev.tributary.broker.group;

import dev.tributary.broker.cluster.ClusterMembership;
import dev.tributary.broker.cluster.ClusterStanding;
import dev.tributary.broker.group.OffsetProtocol.FetchedGroup;
import dev.tributary.broker.group.OffsetProtocol.FetchedPartition;
import dev.tributary.broker.group.OffsetProtocol.FetchedTopic;
import dev.tributary.broker.group.OffsetProtocol.RequestedTopic;
import dev.tributary.broker.topic.TopicMetadata;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The consumer-group coordinator: Kafka's classic group protocol (client-side assignment), the consumer group
 * protocol of KIP-848 (server-side assignment) and committed offsets, for every group of this broker.
 *
 * <p>Requests and responses are kafka-clients' generated message classes, so the Kafka protocol layer passes them
 * straight through; where behaviour differs between API versions the method takes the request's version, and the
 * response only sets fields that version can carry. Errors are answered as Kafka answers them (error codes in the
 * response), never thrown. The Java-friendly methods ({@link #groups}, {@link #group}, {@link #resetOffsets}) are
 * for the REST API and throw kafka-clients' {@code ApiException}s, which carry the matching error code.
 *
 * <p>Classic membership lives in memory (a restarted coordinator has no classic members: clients get
 * UNKNOWN_MEMBER_ID and rejoin); consumer groups are durable in a {@link ConsumerGroupStore}, as Kafka keeps them,
 * so their members carry on with their epochs and partitions; committed offsets are durable in an
 * {@link OffsetStore}. {@link #open} loads both.
 *
 * <p>A group id names one group of one type. An empty group converts to the other type when a member of the other
 * protocol joins; a group with members refuses members of the other protocol (JoinGroup: INCONSISTENT_GROUP_PROTOCOL,
 * ConsumerGroupHeartbeat: GROUP_ID_NOT_FOUND, each with the reason logged or in the message): unlike Kafka 4, this
 * coordinator does not run classic and consumer members in one group, so an online upgrade of a group from one
 * protocol to the other stops all its members first (committed offsets are kept).
 *
 * <p>Alone, the coordinator serves every group. In a cluster ({@link #follow}) it serves only the groups
 * {@link CoordinatorPlacement} places on its broker: requests for the others are answered NOT_COORDINATOR (stock
 * clients then ask FindCoordinator again), and groups move in and out as brokers join and leave
 * ({@link GroupHandover}). The brokers share the offset store, so committed offsets survive their coordinator.
 *
 * <p>Thread-safe. Requests of different groups run in parallel; one group's requests and timers are serialized.
 * JoinGroup and SyncGroup responses complete later, on the thread of the request or timer that completes the
 * rebalance: callers must not block in their continuations. Timers run on the injected scheduler, which the caller
 * owns (and shuts down after {@link #close}).
 *
 * <p><b>Size.</b> A facade with one method per Kafka group API, each translating its request's versions and
 * errors; the protocols themselves are in {@link MembershipProtocol} and {@link OffsetProtocol}. A new group type
 * brings a facade of its own rather than growing this one.
 */
public final class GroupCoordinator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GroupCoordinator.class.getName());
    /** The width of {@code TRIB_COMMITTED_OFFSET.GROUP_ID}. */
    public static final int MAX_GROUP_ID_LENGTH = 255;

    private final Groups groups;
    private final OffsetStore store;
    private final MembershipProtocol membership;
    private final ConsumerGroupProtocol consumerGroups;
    private final OffsetProtocol offsets;
    private final GroupDescriptions descriptions;
    private final GroupCoordinatorConfig config;
    private final GroupHandover handover;
    private final TransactionalOffsets transactionalOffsets;
    private volatile ClusterStanding standing = ClusterStanding.ALONE;

    private GroupCoordinator(Groups groups, OffsetStore store, TransactionalOffsetStore pending,
                             ConsumerGroupStore consumerGroupStore, TopicSubscriptions topics,
                             GroupCoordinatorConfig config, ScheduledExecutorService scheduler, Clock clock) {
        this.transactionalOffsets = new TransactionalOffsets(groups, pending, config, clock);
        this.groups = groups;
        this.store = store;
        this.config = config;
        GroupTimers timers = new GroupTimers(groups, scheduler);
        this.membership = new MembershipProtocol(groups, config, timers, clock);
        this.consumerGroups = new ConsumerGroupProtocol(groups, config.consumer(), topics, consumerGroupStore,
                timers, clock);
        this.offsets = new OffsetProtocol(groups, store, config, clock);
        this.descriptions = new GroupDescriptions(groups, config.consumer(), topics);
        this.handover = new GroupHandover(groups, new GroupLoader(store, consumerGroupStore),
                GroupCoordinator::unloading, this::loaded, scheduler);
    }

    /**
     * Loads every group: a group that exists only through its committed offsets is an Empty group, listed and
     * described as Kafka lists it; a consumer group comes back with its members, whose sessions start now.
     *
     * @param topics the broker's topics, which consumer groups subscribe to
     * @throws OffsetStoreException        if the offsets cannot be read
     * @throws ConsumerGroupStoreException if the consumer groups cannot be read
     */
    public static GroupCoordinator open(OffsetStore store, ConsumerGroupStore consumerGroupStore,
                                        TopicMetadata topics, GroupCoordinatorConfig config,
                                        ScheduledExecutorService scheduler, Clock clock) {
        return open(store, TransactionalOffsetStore.NONE, consumerGroupStore, topics, config, scheduler, clock);
    }

    /**
     * As {@link #open(OffsetStore, ConsumerGroupStore, TopicMetadata, GroupCoordinatorConfig,
     * ScheduledExecutorService, Clock)}, with transactional offsets (TxnOffsetCommit) staged in {@code pending}.
     */
    public static GroupCoordinator open(OffsetStore store, TransactionalOffsetStore pending,
                                        ConsumerGroupStore consumerGroupStore, TopicMetadata topics,
                                        GroupCoordinatorConfig config, ScheduledExecutorService scheduler,
                                        Clock clock) {
        Groups groups = new Groups();
        GroupCoordinator coordinator = new GroupCoordinator(groups, store, pending, consumerGroupStore,
                new TopicSubscriptions(topics), config, scheduler, clock);
        Map<String, Group> stored = new GroupLoader(store, consumerGroupStore).loadAll();
        stored.values().forEach(group -> groups.seed(group, coordinator::loaded));
        LOG.info(() -> "Group coordinator loaded " + stored.size() + " group(s), "
                + stored.values().stream().filter(ConsumerGroup.class::isInstance).count() + " of them consumer "
                + "groups");
        return coordinator;
    }

    /** Under the monitor of a group just loaded: a consumer group's members get a new session. */
    private void loaded(Group group) {
        if (group instanceof ConsumerGroup consumer) {
            consumerGroups.loaded(consumer);
        }
    }

    /** Under the monitor of a group leaving this coordinator: classic members parked in a request are answered. */
    private static void unloading(Group group) {
        if (group instanceof ClassicGroup classic) {
            MembershipProtocol.abandon(classic);
        }
    }

    public GroupCoordinatorConfig config() {
        return config;
    }

    /**
     * From now on serves only the groups placed on {@code joined}'s broker among its live brokers, following every
     * change of them. The first hand-over (unloading the groups placed elsewhere, reloading the committed offsets of
     * the rest, which peers may have changed since {@link #open}) happens before this returns; until it is done the
     * groups this broker keeps are answered COORDINATOR_LOAD_IN_PROGRESS. Call it once.
     */
    public void follow(ClusterMembership joined) {
        follow(joined, ClusterStanding.ALONE);
    }

    /**
     * As {@link #follow(ClusterMembership)}, and while {@code standing} says this broker's session in the metadata
     * database is not current, every group request is answered NOT_COORDINATOR: another broker may be taking its
     * groups over, and this one cannot tell.
     */
    public void follow(ClusterMembership joined, ClusterStanding standing) {
        this.standing = standing;
        handover.follow(joined);
    }

    // ---- membership ----

    /**
     * JoinGroup. Completes when the group's join phase does (or at once with an error, or MEMBER_ID_REQUIRED for a
     * new dynamic member on v4+).
     *
     * @param clientId   the request header's client id (new member ids start with it)
     * @param clientHost the client's address, as DescribeGroups shows it
     */
    public CompletableFuture<JoinGroupResponseData> joinGroup(JoinGroupRequestData request, short version,
                                                              String clientId, String clientHost) {
        String memberId = request.memberId() == null ? "" : request.memberId();
        if (invalid(request.groupId())) {
            return CompletableFuture.completedFuture(
                    MembershipProtocol.joinError(Errors.INVALID_GROUP_ID, memberId, version));
        }
        return answer(() -> membership.join(request, version, clientId, clientHost),
                error -> CompletableFuture.completedFuture(MembershipProtocol.joinError(error, memberId, version)));
    }

    /** SyncGroup. Completes when the leader's assignment is there (at once for the leader and in a Stable group). */
    public CompletableFuture<SyncGroupResponseData> syncGroup(SyncGroupRequestData request, short version) {
        if (invalid(request.groupId())) {
            return CompletableFuture.completedFuture(MembershipProtocol.syncError(Errors.INVALID_GROUP_ID));
        }
        // A loading group lost the rebalance this sync belongs to; REBALANCE_IN_PROGRESS sends the member back to
        // JoinGroup without looking for the coordinator again, as Kafka answers.
        return answer(() -> membership.sync(request, version),
                error -> CompletableFuture.completedFuture(MembershipProtocol.syncError(
                        error == Errors.COORDINATOR_LOAD_IN_PROGRESS ? Errors.REBALANCE_IN_PROGRESS : error)));
    }

    /** Heartbeat (all versions: v3+ adds the group instance id, which is null in older requests). */
    public HeartbeatResponseData heartbeat(HeartbeatRequestData request) {
        if (invalid(request.groupId())) {
            return new HeartbeatResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        // While the group loads, Kafka answers heartbeats NONE: its members are kept until they can be checked.
        return answer(() -> membership.heartbeat(request), error -> new HeartbeatResponseData().setErrorCode(
                (error == Errors.COORDINATOR_LOAD_IN_PROGRESS ? Errors.NONE : error).code()));
    }

    /** LeaveGroup: one dynamic member before v3, a batch of members (by member or instance id) from v3. */
    public LeaveGroupResponseData leaveGroup(LeaveGroupRequestData request, short version) {
        if (invalid(request.groupId())) {
            return new LeaveGroupResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        return answer(() -> membership.leave(request, version),
                error -> new LeaveGroupResponseData().setErrorCode(error.code()));
    }

    // ---- the consumer group protocol (KIP-848) ----

    /**
     * ConsumerGroupHeartbeat: joins, heartbeats and leaves of consumer-protocol members, answered at once with the
     * member's epoch and, when it changed, its assignment.
     *
     * @param clientId   the request header's client id
     * @param clientHost the client's address, as ConsumerGroupDescribe shows it
     */
    public ConsumerGroupHeartbeatResponseData consumerGroupHeartbeat(ConsumerGroupHeartbeatRequestData request,
                                                                     short version, String clientId,
                                                                     String clientHost) {
        if (invalid(request.groupId())) {
            return heartbeatError(new InvalidGroupIdException("GroupId can't be empty."));
        }
        try {
            return answer(() -> consumerGroups.heartbeat(request, version, clientId, clientHost),
                    error -> heartbeatError(error.exception()));
        } catch (ApiException e) {
            return heartbeatError(e);
        }
    }

    private static ConsumerGroupHeartbeatResponseData heartbeatError(ApiException error) {
        return new ConsumerGroupHeartbeatResponseData().setErrorCode(Errors.forException(error).code())
                .setErrorMessage(error.getMessage());
    }

    /** ConsumerGroupDescribe: consumer groups; a classic or unknown group is GROUP_ID_NOT_FOUND. */
    public ConsumerGroupDescribeResponseData consumerGroupDescribe(List<String> groupIds, short version) {
        ConsumerGroupDescribeResponseData response = new ConsumerGroupDescribeResponseData();
        for (String groupId : groupIds) {
            if (invalid(groupId)) {
                response.groups().add(new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(groupId)
                        .setErrorCode(Errors.INVALID_GROUP_ID.code()));
                continue;
            }
            response.groups().add(answer(() -> descriptions.describeConsumerGroup(groupId, version),
                    error -> new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(groupId)
                            .setErrorCode(error.code())));
        }
        return response;
    }

    // ---- offsets ----

    /**
     * OffsetCommit, written to the offset store (one transaction per request) before it is answered. Topics must
     * be named (the protocol layer resolves v10 topic ids) and exist (the protocol layer checks).
     */
    public OffsetCommitResponseData commitOffsets(OffsetCommitRequestData request, short version) {
        if (invalid(request.groupId())) {
            return OffsetProtocol.commitError(request, Errors.INVALID_GROUP_ID);
        }
        return answer(() -> offsets.commit(request, version), error -> OffsetProtocol.commitError(request, error));
    }

    /**
     * TxnOffsetCommit: stages the offsets for the producer's transaction; they become committed offsets when it
     * commits ({@link #completeTransaction}). Topics must be named and exist (the protocol layer checks).
     */
    public TxnOffsetCommitResponseData commitTransactionalOffsets(TxnOffsetCommitRequestData request) {
        if (invalid(request.groupId()))
            return TransactionalOffsets.error(request, Errors.INVALID_GROUP_ID);
        return answer(() -> transactionalOffsets.commit(request),
                error -> TransactionalOffsets.error(request, error));
    }

    /**
     * A transaction marker for the group coordinator (Kafka's {@code onTransactionCompleted}): the producer's staged
     * offsets of every group become committed offsets, or are dropped.
     *
     * @throws OffsetStoreException if they could not be completed; the transaction coordinator retries
     */
    public void completeTransaction(long producerId, boolean commit) {
        transactionalOffsets.complete(producerId, commit);
    }

    /** Partitions of {@code groupId} whose offsets wait for a transaction to end (OffsetFetch require_stable). */
    public java.util.Set<TopicPartition> pendingTransactionalOffsets(String groupId) {
        return transactionalOffsets.pending(groupId);
    }

    /**
     * OffsetFetch: one group before v8, a batch of groups from v8. A null topic list (v2+) asks for every committed
     * offset of the group. In v10 the protocol layer resolves topic ids to names and fills the ids of an "all
     * topics" answer.
     */
    public OffsetFetchResponseData fetchOffsets(OffsetFetchRequestData request, short version) {
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        if (version >= 8) {
            for (OffsetFetchRequestData.OffsetFetchRequestGroup group : request.groups()) {
                List<RequestedTopic> requested = group.topics() == null ? null : group.topics().stream()
                        .map(t -> new RequestedTopic(t.name(), t.topicId(), t.partitionIndexes())).toList();
                response.groups().add(fetchedGroup(group.groupId(), fetch(group.groupId(),
                        version >= 9 ? group.memberId() : null, version >= 9 ? group.memberEpoch() : -1, requested,
                        request.requireStable()), version));
            }
            return response;
        }
        List<RequestedTopic> requested = request.topics() == null ? null : request.topics().stream()
                .map(t -> new RequestedTopic(t.name(), null, t.partitionIndexes())).toList();
        FetchedGroup fetched = fetch(request.groupId(), null, -1, requested,
                version >= 7 && request.requireStable());
        if (version < 2 && fetched.error() != Errors.NONE) {
            // v0-1 have no group-level error: every requested partition carries it.
            fetched = failedFetch(fetched.error(), requested);
        }
        for (FetchedTopic topic : fetched.topics()) {
            OffsetFetchResponseData.OffsetFetchResponseTopic result =
                    new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(topic.name());
            for (FetchedPartition p : topic.partitions()) {
                OffsetFetchResponseData.OffsetFetchResponsePartition partition =
                        new OffsetFetchResponseData.OffsetFetchResponsePartition().setPartitionIndex(p.partition())
                                .setCommittedOffset(p.offset().map(CommittedOffset::offset).orElse(-1L))
                                .setMetadata(p.offset().map(CommittedOffset::metadata).orElse(""))
                                .setErrorCode(p.error().code());
                if (version >= 5) {
                    partition.setCommittedLeaderEpoch(leaderEpoch(p));
                }
                result.partitions().add(partition);
            }
            response.topics().add(result);
        }
        if (version >= 2) {
            response.setErrorCode(fetched.error().code());
        }
        return response;
    }

    /**
     * With {@code requireStable} (a read_committed consumer), partitions whose offsets wait for a transaction to end
     * are answered UNSTABLE_OFFSET_COMMIT, for the consumer to retry, as Kafka answers.
     */
    private FetchedGroup fetch(String groupId, String memberId, int memberEpoch, List<RequestedTopic> requested,
                               boolean requireStable) {
        if (invalid(groupId)) {
            return new FetchedGroup(Errors.INVALID_GROUP_ID, List.of());
        }
        FetchedGroup fetched = answer(() -> offsets.fetch(groupId, memberId, memberEpoch, requested),
                error -> new FetchedGroup(error, List.of()));
        if (!requireStable || fetched.error() != Errors.NONE)
            return fetched;
        java.util.Set<TopicPartition> pending;
        try {
            pending = transactionalOffsets.pending(groupId);
        } catch (OffsetStoreException e) {
            return new FetchedGroup(Errors.COORDINATOR_NOT_AVAILABLE, List.of());
        }
        if (pending.isEmpty())
            return fetched;
        List<FetchedTopic> topics = new ArrayList<>();
        for (FetchedTopic topic : fetched.topics()) {
            topics.add(new FetchedTopic(topic.name(), topic.topicId(), topic.partitions().stream()
                    .map(p -> pending.contains(new TopicPartition(topic.name(), p.partition()))
                            ? new FetchedPartition(p.partition(), Optional.empty(), Errors.UNSTABLE_OFFSET_COMMIT)
                            : p).toList()));
        }
        return new FetchedGroup(Errors.NONE, topics);
    }

    private static FetchedGroup failedFetch(Errors error, List<RequestedTopic> requested) {
        List<FetchedTopic> topics = new ArrayList<>();
        for (RequestedTopic topic : requested == null ? List.<RequestedTopic>of() : requested) {
            topics.add(new FetchedTopic(topic.name(), topic.topicId(), topic.partitions().stream()
                    .map(p -> new FetchedPartition(p, Optional.empty(), error)).toList()));
        }
        return new FetchedGroup(error, topics);
    }

    private static OffsetFetchResponseData.OffsetFetchResponseGroup fetchedGroup(String groupId, FetchedGroup fetched,
                                                                                 short version) {
        OffsetFetchResponseData.OffsetFetchResponseGroup group =
                new OffsetFetchResponseData.OffsetFetchResponseGroup().setGroupId(groupId)
                        .setErrorCode(fetched.error().code());
        for (FetchedTopic topic : fetched.topics()) {
            OffsetFetchResponseData.OffsetFetchResponseTopics result =
                    new OffsetFetchResponseData.OffsetFetchResponseTopics().setName(topic.name());
            if (version >= 10 && topic.topicId() != null) {
                result.setTopicId(topic.topicId());
            }
            for (FetchedPartition p : topic.partitions()) {
                result.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartitions()
                        .setPartitionIndex(p.partition())
                        .setCommittedOffset(p.offset().map(CommittedOffset::offset).orElse(-1L))
                        .setCommittedLeaderEpoch(leaderEpoch(p))
                        .setMetadata(p.offset().map(CommittedOffset::metadata).orElse(""))
                        .setErrorCode(p.error().code()));
            }
            group.topics().add(result);
        }
        return group;
    }

    private static int leaderEpoch(FetchedPartition p) {
        return p.offset().map(o -> o.leaderEpoch().orElse(-1)).orElse(-1);
    }

    /** OffsetDelete (KIP-496). */
    public OffsetDeleteResponseData deleteOffsets(OffsetDeleteRequestData request) {
        if (invalid(request.groupId())) {
            return new OffsetDeleteResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        return answer(() -> offsets.delete(request),
                error -> new OffsetDeleteResponseData().setErrorCode(error.code()));
    }

    // ---- administration ----

    /** DescribeGroups as its newest version answers (unknown groups: GROUP_ID_NOT_FOUND). */
    public DescribeGroupsResponseData describeGroups(List<String> groupIds) {
        return describeGroups(groupIds, DescribeGroupsRequestData.HIGHEST_SUPPORTED_VERSION);
    }

    /**
     * DescribeGroups. An unknown group, or a consumer group, is GROUP_ID_NOT_FOUND from v6 (KIP-1043) and a "Dead"
     * group without error before. Member metadata and assignments are only shown for a Stable group, as Kafka shows
     * them.
     */
    public DescribeGroupsResponseData describeGroups(List<String> groupIds, short version) {
        DescribeGroupsResponseData response = new DescribeGroupsResponseData();
        for (String groupId : groupIds) {
            DescribedGroup described;
            if (invalid(groupId)) {
                described = new DescribedGroup().setGroupId(groupId).setErrorCode(Errors.INVALID_GROUP_ID.code())
                        .setGroupState(GroupState.DEAD.kafkaName());
            } else {
                described = answer(() -> descriptions.describe(groupId, version),
                        error -> new DescribedGroup().setGroupId(groupId).setErrorCode(error.code()));
            }
            response.groups().add(described);
        }
        return response;
    }

    /**
     * ListGroups, filtered by state (v4+, case-insensitive) and type (v5+: "classic", "consumer"). Empty filters
     * match everything. In a cluster it lists the groups this broker coordinates (clients ask every broker), or
     * answers COORDINATOR_LOAD_IN_PROGRESS while some of them are loading, so no listing misses one.
     */
    public ListGroupsResponseData listGroups(ListGroupsRequestData request) {
        return descriptions.list(request);
    }

    /**
     * DeleteGroups: only a group without members can go (NON_EMPTY_GROUP otherwise); its committed offsets are
     * deleted from the store first.
     */
    public DeleteGroupsResponseData deleteGroups(List<String> groupIds) {
        DeleteGroupsResponseData response = new DeleteGroupsResponseData();
        for (String groupId : groupIds) {
            Errors error = invalid(groupId) ? Errors.INVALID_GROUP_ID
                    : answer(() -> groups.withGroup(groupId, this::delete, () -> Errors.GROUP_ID_NOT_FOUND),
                            failure -> failure);
            response.results().add(new DeleteGroupsResponseData.DeletableGroupResult().setGroupId(groupId)
                    .setErrorCode(error.code()));
        }
        return response;
    }

    private Errors delete(Group group) {
        if (!group.isEmpty()) {
            return Errors.NON_EMPTY_GROUP;
        }
        try {
            store.deleteGroup(group.groupId());
        } catch (OffsetStoreException e) {
            LOG.log(Level.WARNING, "Cannot delete the offsets of group " + group.groupId(), e);
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        group.offsets().clear();
        groups.retire(group);
        LOG.info(() -> "Deleted group " + group.groupId());
        return Errors.NONE;
    }

    /**
     * Every group this coordinator serves, by id (in a cluster, the other brokers list theirs).
     *
     * @throws NotCoordinatorException if the coordinator is closed
     */
    public List<GroupSummary> groups() {
        return descriptions.summaries();
    }

    /**
     * One group's membership and committed offsets, if the group exists.
     *
     * @throws NotCoordinatorException if another broker coordinates the group (or this coordinator is closed)
     * @throws CoordinatorLoadInProgressException if this broker just became its coordinator and is loading it
     */
    public Optional<GroupView> group(String groupId) {
        if (invalid(groupId)) {
            return Optional.empty();
        }
        return descriptions.view(groupId);
    }

    /**
     * Sets committed offsets of a group nobody consumes in (Empty, or unknown: the group is created), e.g. to
     * rewind it. Written through the offset store.
     *
     * @throws GroupNotEmptyException (NON_EMPTY_GROUP) if the group has members
     * @throws NotCoordinatorException if another broker coordinates the group
     * @throws CoordinatorLoadInProgressException if this broker is still loading the group
     * @throws InvalidGroupIdException (INVALID_GROUP_ID) for a null, empty or too long group id
     * @throws IllegalArgumentException for a negative offset
     * @throws OffsetStoreException if the offsets could not be stored (none were)
     */
    public void resetOffsets(String groupId, Map<TopicPartition, Long> newOffsets) {
        if (invalid(groupId)) {
            throw new InvalidGroupIdException("A group id must have 1 to " + MAX_GROUP_ID_LENGTH + " characters");
        }
        offsets.reset(groupId, newOffsets);
    }

    /**
     * Stops the coordinator: parked JoinGroup/SyncGroup requests are answered NOT_COORDINATOR, timers are
     * cancelled, and later requests get NOT_COORDINATOR. Committed offsets are already durable. Does not shut down
     * the scheduler or close the store (the caller owns both).
     */
    @Override
    public void close() {
        groups.close(GroupCoordinator::unloading);
        LOG.info("Group coordinator closed");
    }

    /**
     * Kafka refuses only null and empty group ids; longer ids than the offset table's key column are refused here
     * too, since such a group could never commit and its clients would retry forever.
     */
    private static boolean invalid(String groupId) {
        return groupId == null || groupId.isEmpty() || groupId.length() > MAX_GROUP_ID_LENGTH;
    }

    /**
     * Runs a request; a coordinator whose session in the metadata database is not current answers NOT_COORDINATOR
     * through {@code onError} without running it, and the request's own refusals are answered as
     * {@link #answerRefusals} does. A write that finds the group coordinated by another broker unloads it here.
     */
    private <T> T answer(Supplier<T> request, Function<Errors, T> onError) {
        if (!standing.sessionActive())
            return onError.apply(Errors.NOT_COORDINATOR);
        return answerRefusals(() -> {
            try {
                return request.get();
            } catch (CoordinationLostException e) {
                LOG.warning(() -> e.getMessage() + "; unloading it");
                groups.lose(e.groupId(), GroupCoordinator::unloading);
                throw e;
            }
        }, onError);
    }

    /**
     * Runs a request; a closed coordinator, or one that does not serve the group, answers NOT_COORDINATOR through
     * {@code onError}, and one still loading the group COORDINATOR_LOAD_IN_PROGRESS.
     */
    static <T> T answerRefusals(Supplier<T> request, Function<Errors, T> onError) {
        try {
            return request.get();
        } catch (NotCoordinatorException e) {
            return onError.apply(Errors.NOT_COORDINATOR);
        } catch (CoordinatorLoadInProgressException e) {
            return onError.apply(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        }
    }
}
