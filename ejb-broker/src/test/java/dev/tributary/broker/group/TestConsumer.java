package dev.tributary.broker.group;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;

/**
 * A classic-protocol client driven by hand: it keeps its member id and generation from the responses it gets, like
 * Kafka's {@code AbstractCoordinator}, and checks that every response serializes at the version it asked with (what
 * the Kafka protocol layer will do with it).
 */
final class TestConsumer {

    private final GroupCoordinator coordinator;
    final String groupId;
    final String clientId;
    String groupInstanceId;
    String memberId = "";
    int generation = -1;
    String protocolType = "consumer";
    /** Protocol name → metadata, in preference order. */
    Map<String, byte[]> protocols = new LinkedHashMap<>(Map.of("range", new byte[] {1}));
    int sessionTimeoutMs = 10_000;
    int rebalanceTimeoutMs = 30_000;
    short joinVersion = JoinGroupRequestData.HIGHEST_SUPPORTED_VERSION;
    short syncVersion = SyncGroupRequestData.HIGHEST_SUPPORTED_VERSION;
    short leaveVersion = LeaveGroupRequestData.HIGHEST_SUPPORTED_VERSION;
    short commitVersion = OffsetCommitRequestData.HIGHEST_SUPPORTED_VERSION;
    private CompletableFuture<JoinGroupResponseData> join;
    private CompletableFuture<SyncGroupResponseData> sync;

    TestConsumer(GroupCoordinator coordinator, String groupId, String clientId) {
        this.coordinator = coordinator;
        this.groupId = groupId;
        this.clientId = clientId;
    }

    TestConsumer staticMember(String instanceId) {
        this.groupInstanceId = instanceId;
        return this;
    }

    TestConsumer metadata(byte... metadata) {
        protocols = new LinkedHashMap<>(Map.of(protocols.keySet().iterator().next(), metadata));
        return this;
    }

    JoinGroupRequestData joinRequest() {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection collection =
                new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.forEach((name, metadata) -> collection.add(
                new JoinGroupRequestData.JoinGroupRequestProtocol().setName(name).setMetadata(metadata)));
        return new JoinGroupRequestData().setGroupId(groupId).setMemberId(memberId)
                .setGroupInstanceId(groupInstanceId).setSessionTimeoutMs(sessionTimeoutMs)
                .setRebalanceTimeoutMs(rebalanceTimeoutMs).setProtocolType(protocolType).setProtocols(collection);
    }

    /** Sends JoinGroup, taking the MEMBER_ID_REQUIRED round trip as a client does; the join may stay parked. */
    CompletableFuture<JoinGroupResponseData> join() {
        CompletableFuture<JoinGroupResponseData> first = sendJoin();
        if (first.isDone() && first.getNow(null).errorCode() == Errors.MEMBER_ID_REQUIRED.code()) {
            join = sendJoin();
        } else {
            join = first;
        }
        return join;
    }

    /** One JoinGroup request, as it is. */
    CompletableFuture<JoinGroupResponseData> sendJoin() {
        return coordinator.joinGroup(joinRequest(), joinVersion, clientId, "/127.0.0.1").thenApply(response -> {
            assertSerializable(response, joinVersion);
            if (response.errorCode() == Errors.NONE.code()) {
                generation = response.generationId();
                memberId = response.memberId();
            } else if (response.errorCode() == Errors.MEMBER_ID_REQUIRED.code()) {
                memberId = response.memberId();
            } else if (response.errorCode() == Errors.UNKNOWN_MEMBER_ID.code()) {
                memberId = ""; // as AbstractCoordinator resets it
            }
            return response;
        });
    }

    /** The response to the last join, which must have completed. */
    JoinGroupResponseData joined() {
        assertTrue(join != null && join.isDone(), clientId + "'s JoinGroup has not completed");
        return join.getNow(null);
    }

    boolean joinCompleted() {
        return join != null && join.isDone();
    }

    CompletableFuture<SyncGroupResponseData> sync(Map<String, byte[]> assignments) {
        List<SyncGroupRequestData.SyncGroupRequestAssignment> list = new ArrayList<>();
        assignments.forEach((member, assignment) -> list.add(new SyncGroupRequestData.SyncGroupRequestAssignment()
                .setMemberId(member).setAssignment(assignment)));
        SyncGroupRequestData request = new SyncGroupRequestData().setGroupId(groupId).setGenerationId(generation)
                .setMemberId(memberId).setGroupInstanceId(groupInstanceId).setAssignments(list);
        if (syncVersion >= 5) {
            request.setProtocolType(protocolType).setProtocolName(joined().protocolName());
        }
        sync = coordinator.syncGroup(request, syncVersion).thenApply(response -> {
            assertSerializable(response, syncVersion);
            return response;
        });
        return sync;
    }

    CompletableFuture<SyncGroupResponseData> sync() {
        return sync(Map.of());
    }

    SyncGroupResponseData synced() {
        assertTrue(sync != null && sync.isDone(), clientId + "'s SyncGroup has not completed");
        return sync.getNow(null);
    }

    Errors heartbeat() {
        return Errors.forCode(coordinator.heartbeat(new HeartbeatRequestData().setGroupId(groupId)
                .setGenerationId(generation).setMemberId(memberId).setGroupInstanceId(groupInstanceId)).errorCode());
    }

    LeaveGroupResponseData leave() {
        LeaveGroupRequestData request = new LeaveGroupRequestData().setGroupId(groupId);
        if (leaveVersion >= 3) {
            request.setMembers(List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(memberId)
                    .setGroupInstanceId(groupInstanceId)));
        } else {
            request.setMemberId(memberId);
        }
        LeaveGroupResponseData response = coordinator.leaveGroup(request, leaveVersion);
        assertSerializable(response, leaveVersion);
        return response;
    }

    /** Commits as this member (its generation and member id), one error per partition. */
    Map<TopicPartition, Errors> commit(Map<TopicPartition, Long> offsets) {
        return commit(coordinator, groupId, generation, memberId, groupInstanceId, offsets, commitVersion);
    }

    static Map<TopicPartition, Errors> commit(GroupCoordinator coordinator, String groupId, int generation,
                                              String memberId, String instanceId, Map<TopicPartition, Long> offsets,
                                              short version) {
        Map<String, OffsetCommitRequestData.OffsetCommitRequestTopic> topics = new LinkedHashMap<>();
        offsets.forEach((tp, offset) -> topics.computeIfAbsent(tp.topic(),
                        t -> new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(t))
                .partitions().add(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                        .setPartitionIndex(tp.partition()).setCommittedOffset(offset)
                        .setCommittedLeaderEpoch(3).setCommittedMetadata("m" + offset)));
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(groupId)
                .setGenerationIdOrMemberEpoch(generation).setMemberId(memberId)
                .setGroupInstanceId(version >= 7 ? instanceId : null).setTopics(new ArrayList<>(topics.values()));
        OffsetCommitResponseData response = coordinator.commitOffsets(request, version);
        assertSerializable(response, version);
        Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
        response.topics().forEach(t -> t.partitions().forEach(p ->
                errors.put(new TopicPartition(t.name(), p.partitionIndex()), Errors.forCode(p.errorCode()))));
        return errors;
    }

    /** A response that must already be there: tests never wait (a parked request would hang them). */
    static <T> T done(CompletableFuture<T> response) {
        assertTrue(response.isDone(), "the request is still parked");
        return response.getNow(null);
    }

    static void assertSerializable(ApiMessage message, short version) {
        MessageUtil.toByteBufferAccessor(message, version); // throws if a field cannot be written at this version
    }
}
