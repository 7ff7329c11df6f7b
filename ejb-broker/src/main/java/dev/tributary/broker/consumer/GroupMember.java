package dev.tributary.broker.consumer;

import dev.tributary.broker.group.GroupCoordinator;
import dev.tributary.broker.topic.TopicMetadata;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;

/**
 * A consumer-group member inside the broker's JVM, talking to the {@link GroupCoordinator} by method call instead
 * of over the Kafka protocol, but speaking the protocol a {@code KafkaConsumer} speaks: protocol type
 * {@code consumer}, ConsumerProtocol-encoded subscription and assignments, and (when elected leader) Kafka's
 * {@link RangeAssignor}. So it shares a group with Kafka clients as one of them.
 *
 * <p>Eager rebalancing: when the group rebalances, the caller stops working on all its partitions, then calls
 * {@link #ensureActive} to rejoin. Offsets are committed for the current generation only; a commit answered with
 * a rebalance error returns false (the record will be delivered again to the partition's next owner).
 *
 * <p>Thread-safety: {@link #ensureActive}, {@link #heartbeat} and {@link #close} are called by one coordinating
 * thread; {@link #commit} and {@link #committed} by any thread. The generation is published as one immutable
 * value.
 */
public final class GroupMember implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GroupMember.class.getName());
    private static final RangeAssignor ASSIGNOR = new RangeAssignor();
    /** Versions whose requests carry topic names (v10 OffsetCommit uses topic ids, which the protocol layer maps). */
    private static final short COMMIT_VERSION = 9;
    private static final short FETCH_VERSION = 7;

    /**
     * @param assignedCounts as the leader: the partition count (0: no such topic) of every topic the group
     *                       subscribes to, as it assigned them; empty for other members
     */
    private record Generation(int id, String memberId, Set<TopicPartition> assignment,
                              Map<String, Integer> assignedCounts) {
        static final Generation NONE = new Generation(-1, "", Set.of(), Map.of());
    }

    private final GroupCoordinator coordinator;
    private final TopicMetadata topics;
    private final String groupId;
    private final List<String> subscription;
    private final String clientId;
    private final MemberTimeouts timeouts;
    private volatile Generation generation = Generation.NONE;
    private volatile String memberId = "";
    private volatile boolean rejoinNeeded = true;

    public GroupMember(GroupCoordinator coordinator, TopicMetadata topics, String groupId, List<String> subscription,
                       String clientId, MemberTimeouts timeouts) {
        this.coordinator = coordinator;
        this.topics = topics;
        this.groupId = groupId;
        this.subscription = List.copyOf(subscription);
        this.clientId = clientId;
        this.timeouts = timeouts;
    }

    public String groupId() {
        return groupId;
    }

    public MemberTimeouts timeouts() {
        return timeouts;
    }

    /**
     * Joins the group (or rejoins after a rebalance) and returns this member's partitions for the new generation;
     * returns the current ones at once if no rebalance is pending.
     *
     * @throws GroupMemberException if the coordinator refuses the member for good, or no generation completes
     *                              within {@code timeout}
     */
    public Set<TopicPartition> ensureActive(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (rejoinNeeded) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new GroupMemberException("Group " + groupId + ": no generation completed within " + timeout);
            }
            joinAndSync(remaining);
        }
        return generation.assignment();
    }

    private void joinAndSync(long remainingNanos) throws InterruptedException {
        JoinGroupResponseData joined = await(coordinator.joinGroup(joinRequest(), JoinGroupRequestData
                .HIGHEST_SUPPORTED_VERSION, clientId, "/127.0.0.1"), remainingNanos, "JoinGroup");
        Errors error = Errors.forCode(joined.errorCode());
        if (error == Errors.MEMBER_ID_REQUIRED) {
            memberId = joined.memberId();
            return;
        }
        if (retriable(error)) {
            return;
        }
        if (error != Errors.NONE) {
            throw new GroupMemberException(groupId, "JoinGroup", error);
        }
        memberId = joined.memberId();
        Map<String, Integer> assignedCounts = new HashMap<>();
        Map<String, byte[]> assignments = joined.leader().equals(joined.memberId()) ? assign(joined, assignedCounts)
                : Map.of();
        SyncGroupRequestData sync = new SyncGroupRequestData().setGroupId(groupId)
                .setGenerationId(joined.generationId()).setMemberId(memberId)
                .setProtocolType(ConsumerProtocol.PROTOCOL_TYPE).setProtocolName(joined.protocolName());
        assignments.forEach((member, assignment) -> sync.assignments().add(
                new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(member).setAssignment(assignment)));
        SyncGroupResponseData synced = await(coordinator.syncGroup(sync, SyncGroupRequestData
                .HIGHEST_SUPPORTED_VERSION), remainingNanos, "SyncGroup");
        error = Errors.forCode(synced.errorCode());
        if (retriable(error)) {
            return;
        }
        if (error != Errors.NONE) {
            throw new GroupMemberException(groupId, "SyncGroup", error);
        }
        Assignment assignment = ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(synced.assignment()));
        generation = new Generation(joined.generationId(), memberId, Set.copyOf(assignment.partitions()),
                Map.copyOf(assignedCounts));
        rejoinNeeded = false;
        LOG.fine(() -> "Member " + memberId + " of group " + groupId + " has " + assignment.partitions()
                + " in generation " + joined.generationId());
    }

    /** Errors after which the member simply joins again (resetting its member id if the group forgot it). */
    private boolean retriable(Errors error) {
        switch (error) {
            case UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, FENCED_INSTANCE_ID -> {
                memberId = "";
                return true;
            }
            case REBALANCE_IN_PROGRESS, COORDINATOR_LOAD_IN_PROGRESS -> {
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private JoinGroupRequestData joinRequest() {
        byte[] metadata = Utils.toArray(ConsumerProtocol.serializeSubscription(new Subscription(subscription)));
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
                new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName(ASSIGNOR.name())
                .setMetadata(metadata));
        return new JoinGroupRequestData().setGroupId(groupId).setMemberId(memberId)
                .setSessionTimeoutMs((int) timeouts.session().toMillis())
                .setRebalanceTimeoutMs((int) timeouts.rebalance().toMillis())
                .setProtocolType(ConsumerProtocol.PROTOCOL_TYPE).setProtocols(protocols);
    }

    /**
     * As the group's leader: every member's subscription, assigned by the range assignor. Fills
     * {@code partitionsPerTopic} with the partition counts it assigned (0 for topics that do not exist).
     */
    private Map<String, byte[]> assign(JoinGroupResponseData joined, Map<String, Integer> partitionsPerTopic) {
        Map<String, Subscription> subscriptions = new LinkedHashMap<>();
        Set<String> subscribedTopics = new HashSet<>();
        for (JoinGroupResponseData.JoinGroupResponseMember member : joined.members()) {
            Subscription memberSubscription = ConsumerProtocol.deserializeSubscription(
                    ByteBuffer.wrap(member.metadata()));
            subscriptions.put(member.memberId(), memberSubscription);
            subscribedTopics.addAll(memberSubscription.topics());
        }
        Map<String, Integer> existing = new HashMap<>();
        for (String topic : subscribedTopics) {
            int count = partitionCount(topic);
            partitionsPerTopic.put(topic, count);
            if (count > 0) {
                existing.put(topic, count);
            }
        }
        Map<String, List<TopicPartition>> assigned = ASSIGNOR.assign(existing, subscriptions);
        Map<String, byte[]> encoded = new HashMap<>();
        assigned.forEach((member, partitions) -> encoded.put(member,
                Utils.toArray(ConsumerProtocol.serializeAssignment(new Assignment(partitions)))));
        return encoded;
    }

    /** The topic's partition count, 0 if it does not exist (yet): a member gets nothing of it, as in Kafka. */
    private int partitionCount(String topic) {
        try {
            return topics.partitionCount(topic);
        } catch (UnknownTopicOrPartitionException notYet) {
            return 0;
        }
    }

    /**
     * @return false if this member must rejoin: the group is rebalancing or no longer knows it, or (as its leader)
     *         a subscribed topic was created, deleted or got partitions since it assigned them, which Kafka's
     *         consumer leader notices from its metadata. Stop working on the partitions, then {@link #ensureActive}.
     */
    public boolean heartbeat() {
        Generation current = generation;
        for (Map.Entry<String, Integer> assigned : current.assignedCounts().entrySet()) {
            if (partitionCount(assigned.getKey()) != assigned.getValue()) {
                LOG.info(() -> "Partitions of " + assigned.getKey() + " changed: member " + current.memberId()
                        + ", leader of group " + groupId + ", rejoins to reassign them");
                rejoinNeeded = true;
                return false;
            }
        }
        Errors error = Errors.forCode(coordinator.heartbeat(new HeartbeatRequestData().setGroupId(groupId)
                .setMemberId(current.memberId()).setGenerationId(current.id())).errorCode());
        if (error == Errors.NONE) {
            return true;
        }
        if (!retriable(error)) {
            throw new GroupMemberException(groupId, "Heartbeat", error);
        }
        rejoinNeeded = true;
        return false;
    }

    /** The committed offsets of {@code partitions}; partitions without one are absent. */
    public Map<TopicPartition, Long> committed(Set<TopicPartition> partitions) {
        Map<String, List<Integer>> byTopic = new HashMap<>();
        partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        OffsetFetchRequestData request = new OffsetFetchRequestData().setGroupId(groupId).setTopics(new ArrayList<>());
        byTopic.forEach((topic, indexes) -> request.topics().add(
                new OffsetFetchRequestData.OffsetFetchRequestTopic().setName(topic).setPartitionIndexes(indexes)));
        OffsetFetchResponseData response = coordinator.fetchOffsets(request, FETCH_VERSION);
        if (response.errorCode() != Errors.NONE.code()) {
            throw new GroupMemberException(groupId, "OffsetFetch", Errors.forCode(response.errorCode()));
        }
        Map<TopicPartition, Long> committed = new HashMap<>();
        for (OffsetFetchResponseData.OffsetFetchResponseTopic topic : response.topics()) {
            for (OffsetFetchResponseData.OffsetFetchResponsePartition p : topic.partitions()) {
                if (p.errorCode() != Errors.NONE.code()) {
                    throw new GroupMemberException(groupId, "OffsetFetch", Errors.forCode(p.errorCode()));
                }
                if (p.committedOffset() >= 0) {
                    committed.put(new TopicPartition(topic.name(), p.partitionIndex()), p.committedOffset());
                }
            }
        }
        return committed;
    }

    /**
     * Commits {@code nextOffset} for {@code partition} in the current generation.
     *
     * @return false if the group has rebalanced since (nothing committed; {@link #ensureActive} will rejoin)
     */
    public boolean commit(TopicPartition partition, long nextOffset) {
        Generation current = generation;
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(groupId)
                .setGenerationIdOrMemberEpoch(current.id()).setMemberId(current.memberId());
        request.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(partition.topic())
                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                        .setPartitionIndex(partition.partition()).setCommittedOffset(nextOffset))));
        OffsetCommitResponseData response = coordinator.commitOffsets(request, COMMIT_VERSION);
        Errors error = Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
        if (error == Errors.NONE) {
            return true;
        }
        if (error == Errors.REBALANCE_IN_PROGRESS || error == Errors.ILLEGAL_GENERATION
                || error == Errors.UNKNOWN_MEMBER_ID) {
            rejoinNeeded = true;
            return false;
        }
        throw new GroupMemberException(groupId, "OffsetCommit of " + partition, error);
    }

    /** Leaves the group now, so it rebalances without waiting for this member's session to time out. */
    @Override
    public void close() {
        String leaving = memberId;
        generation = Generation.NONE;
        rejoinNeeded = true;
        if (leaving.isEmpty()) {
            return;
        }
        memberId = "";
        coordinator.leaveGroup(new LeaveGroupRequestData().setGroupId(groupId).setMembers(List.of(
                new LeaveGroupRequestData.MemberIdentity().setMemberId(leaving).setReason("in-process member left"))),
                LeaveGroupRequestData.HIGHEST_SUPPORTED_VERSION);
    }

    private <T> T await(CompletableFuture<T> response, long remainingNanos, String what)
            throws InterruptedException {
        try {
            return response.get(remainingNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new GroupMemberException("Group " + groupId + ": " + what + " got no answer in time");
        } catch (ExecutionException e) {
            throw new GroupMemberException("Group " + groupId + ": " + what + " failed: " + e.getCause());
        }
    }
}
