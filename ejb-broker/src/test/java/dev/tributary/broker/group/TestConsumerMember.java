package dev.tributary.broker.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * A consumer-protocol (KIP-848) client driven by hand, like kafka-clients' {@code ConsumerMembershipManager}: it
 * generates its member id, keeps the epoch and assignment its heartbeats bring, and owns partitions only once the
 * test says it reconciled ({@link #reconcile}: revoked what it lost, taken what it got). Responses are checked to
 * serialize at the version asked with.
 */
final class TestConsumerMember {

    private final GroupCoordinator coordinator;
    final String groupId;
    String memberId = Uuid.randomUuid().toString();
    String instanceId;
    int epoch;
    /** The last assignment the coordinator sent. */
    Assignment assigned = Assignment.EMPTY;
    /** What the member consumes: it reports this in its heartbeats. */
    Assignment owned = Assignment.EMPTY;
    List<String> topics = List.of();
    String regex;
    String assignor;
    short version = ConsumerGroupHeartbeatRequestData.HIGHEST_SUPPORTED_VERSION;
    ConsumerGroupHeartbeatResponseData last;

    TestConsumerMember(GroupCoordinator coordinator, String groupId) {
        this.coordinator = coordinator;
        this.groupId = groupId;
    }

    TestConsumerMember subscribe(String... names) {
        topics = List.of(names);
        return this;
    }

    TestConsumerMember instance(String id) {
        instanceId = id;
        return this;
    }

    /** Joins with epoch 0 (a full heartbeat). */
    Errors join() {
        epoch = 0;
        owned = Assignment.EMPTY;
        assigned = Assignment.EMPTY;
        return send(full());
    }

    /** A regular heartbeat: epoch and owned partitions, nothing else changed. */
    Errors heartbeat() {
        return send(new ConsumerGroupHeartbeatRequestData().setGroupId(groupId).setMemberId(memberId)
                .setInstanceId(instanceId).setMemberEpoch(epoch).setTopicPartitions(owned(owned)));
    }

    /** A heartbeat that says nothing about owned partitions (they did not change, as the client omits them). */
    Errors heartbeatWithoutOwned() {
        return send(new ConsumerGroupHeartbeatRequestData().setGroupId(groupId).setMemberId(memberId)
                .setInstanceId(instanceId).setMemberEpoch(epoch));
    }

    /** The member gives up what it lost and takes what it got, as the client does between heartbeats. */
    TestConsumerMember reconcile() {
        owned = assigned;
        return this;
    }

    /** Heartbeats, reconciling after each, until the member's assignment settles (at most ten rounds). */
    Errors heartbeatUntilStable() {
        Errors error = Errors.NONE;
        for (int i = 0; i < 10 && error == Errors.NONE; i++) {
            Assignment before = owned;
            int epochBefore = epoch;
            error = heartbeat();
            reconcile();
            if (before.equals(owned) && epochBefore == epoch && i > 0) {
                break;
            }
        }
        return error;
    }

    Errors leave() {
        return send(new ConsumerGroupHeartbeatRequestData().setGroupId(groupId).setMemberId(memberId)
                .setInstanceId(instanceId).setMemberEpoch(ConsumerGroupProtocol.LEAVE_GROUP_MEMBER_EPOCH));
    }

    Errors leaveForNow() {
        return send(new ConsumerGroupHeartbeatRequestData().setGroupId(groupId).setMemberId(memberId)
                .setInstanceId(instanceId).setMemberEpoch(ConsumerGroupProtocol.LEAVE_GROUP_STATIC_MEMBER_EPOCH));
    }

    ConsumerGroupHeartbeatRequestData full() {
        return new ConsumerGroupHeartbeatRequestData().setGroupId(groupId).setMemberId(memberId)
                .setInstanceId(instanceId).setMemberEpoch(epoch).setRebalanceTimeoutMs(30_000)
                .setSubscribedTopicNames(regex == null ? topics : null).setSubscribedTopicRegex(regex)
                .setServerAssignor(assignor).setTopicPartitions(owned(owned));
    }

    Errors send(ConsumerGroupHeartbeatRequestData request) {
        last = coordinator.consumerGroupHeartbeat(request, version, "client", "/127.0.0.1");
        TestConsumer.assertSerializable(last, version);
        Errors error = Errors.forCode(last.errorCode());
        if (error == Errors.NONE) {
            memberId = last.memberId();
            epoch = last.memberEpoch();
            if (last.assignment() != null) {
                Assignment.Builder builder = new Assignment.Builder();
                last.assignment().topicPartitions().forEach(t -> builder.addAll(t.topicId(), t.partitions()));
                assigned = builder.build();
            }
        } else if (error == Errors.FENCED_MEMBER_EPOCH || error == Errors.UNKNOWN_MEMBER_ID) {
            epoch = 0; // the client drops everything and rejoins
            owned = Assignment.EMPTY;
            assigned = Assignment.EMPTY;
        }
        return error;
    }

    /** Commits as this member: its id and epoch. */
    Map<TopicPartition, Errors> commit(Map<TopicPartition, Long> offsets) {
        return TestConsumer.commit(coordinator, groupId, epoch, memberId, instanceId, offsets, (short) 9);
    }

    private static List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned(Assignment owned) {
        List<ConsumerGroupHeartbeatRequestData.TopicPartitions> topics = new ArrayList<>();
        owned.partitions().forEach((topicId, partitions) -> topics.add(
                new ConsumerGroupHeartbeatRequestData.TopicPartitions().setTopicId(topicId)
                        .setPartitions(new ArrayList<>(partitions))));
        return topics;
    }
}
