package dev.tributary.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A consumer group's life around the heartbeats: it survives a coordinator restart and a move to another broker,
 * a failed write changes nothing, commits are checked against member epochs, groups convert between the protocols
 * only while empty, and describing, listing and deleting treat both types as Kafka does.
 */
class ConsumerGroupLifecycleTest extends GroupTestSupport {

    private static final String GROUP = "orders";
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private Uuid orders;

    @BeforeEach
    void topics() {
        orders = topics.create("orders", 4);
    }

    private TestConsumerMember member() {
        return new TestConsumerMember(coordinator, GROUP).subscribe("orders");
    }

    private static void settle(TestConsumerMember... members) {
        for (int i = 0; i < 4; i++) {
            for (TestConsumerMember member : members) {
                assertEquals(Errors.NONE, member.heartbeat());
                member.reconcile();
            }
        }
    }

    @Test
    void membersCarryOnWithTheirEpochsAndPartitionsAfterACoordinatorRestart() {
        TestConsumerMember a = member();
        TestConsumerMember b = member();
        a.join();
        b.join();
        settle(a, b);
        Assignment aOwned = a.owned;
        int epoch = a.epoch;

        coordinator.close();
        coordinator = open(CONFIG);
        a = rebind(a);
        b = rebind(b);
        assertEquals(GroupState.STABLE, state(GROUP));
        assertEquals(Errors.NONE, a.heartbeat(), "the restarted coordinator knows a at its epoch");
        assertEquals(Errors.NONE, b.heartbeat());
        assertEquals(epoch, a.epoch);
        assertEquals(aOwned, a.owned, "nothing moved");

        // Sessions restart with the coordinator: a member that never comes back expires.
        for (int i = 0; i < 50; i++) {
            scheduler.advance(1_000);
            a.heartbeat();
            a.reconcile();
        }
        assertEquals(1, view(GROUP).members().size());
        settle(a);
        assertEquals(4, a.owned.size());
    }

    private TestConsumerMember rebind(TestConsumerMember member) {
        TestConsumerMember rebound = new TestConsumerMember(coordinator, member.groupId).subscribe("orders");
        rebound.memberId = member.memberId;
        rebound.epoch = member.epoch;
        rebound.owned = member.owned;
        rebound.assigned = member.assigned;
        return rebound;
    }

    @Test
    void aWriteTheStoreRefusesChangesNothing() {
        TestConsumerMember a = member();
        a.join();
        settle(a);
        int writes = consumerGroupStore.writes();
        ConsumerGroupSnapshot stored = consumerGroupStore.stored(GROUP).orElseThrow();

        consumerGroupStore.failing(true);
        TestConsumerMember b = member();
        assertEquals(Errors.COORDINATOR_NOT_AVAILABLE, b.join());
        assertEquals(Errors.NONE, a.heartbeat(), "heartbeats that change nothing write nothing");
        consumerGroupStore.failing(false);

        assertEquals(1, view(GROUP).members().size(), "b is not a member");
        assertEquals(stored.groupEpoch(), view(GROUP).generationId());
        assertEquals(writes, consumerGroupStore.writes());
        assertEquals(Errors.NONE, b.join(), "the client retries");
        settle(a, b);
        assertEquals(2, b.owned.size());
    }

    /** Another broker wrote the group meanwhile (both thought they coordinate it): ours is not written over. */
    @Test
    void aConflictingWriteReloadsTheGroupAndTheMemberRetries() {
        TestConsumerMember a = member();
        a.join();
        settle(a);
        ConsumerGroupSnapshot elsewhere = consumerGroupStore.stored(GROUP).orElseThrow();
        consumerGroupStore.writtenElsewhere(elsewhere);

        TestConsumerMember b = member();
        assertEquals(Errors.NOT_COORDINATOR, b.join(), "the client looks for the coordinator again");
        assertEquals(Errors.NONE, b.join());
        settle(a, b);
        assertEquals(2, a.owned.size());
    }

    @Test
    void aGroupThatMovesToAnotherBrokerComesWithItsMembers() {
        FakeMembership membership = new FakeMembership(1, 1);
        coordinator.follow(membership);
        TestConsumerMember a = member();
        a.join();
        settle(a);

        // Broker 1 is placed the group while alone; once broker 2 joins and wins it, broker 2 serves it.
        String group = groupPlacedOn(2);
        TestConsumerMember m = new TestConsumerMember(coordinator, group).subscribe("orders");
        m.join();
        settle(m);
        membership.live(1, 2);
        scheduler.runDue(); // the hand-over
        assertEquals(Errors.NOT_COORDINATOR, m.heartbeat());

        GroupCoordinator broker2 = open(CONFIG);
        broker2.follow(new FakeMembership(2, 1, 2));
        scheduler.runDue();
        TestConsumerMember moved = new TestConsumerMember(broker2, group).subscribe("orders");
        moved.memberId = m.memberId;
        moved.epoch = m.epoch;
        moved.owned = m.owned;
        assertEquals(Errors.NONE, moved.heartbeat(), "broker 2 knows the member at its epoch");
        assertEquals(m.epoch, moved.epoch);
        assertTrue(moved.last.assignment() == null, "its assignment did not change");
        assertEquals(List.of(m.memberId), broker2.group(group).orElseThrow().members().stream()
                .map(MemberView::memberId).toList());
        assertEquals(GroupState.STABLE, broker2.group(group).orElseThrow().state());
        broker2.close();
    }

    private static String groupPlacedOn(int broker) {
        for (int i = 0; ; i++) {
            String candidate = "moving-" + i;
            if (CoordinatorPlacement.coordinatorId(candidate, Set.of(1, 2)).getAsInt() == broker) {
                return candidate;
            }
        }
    }

    @Test
    void commitsAndFetchesAreCheckedAgainstTheMemberEpoch() {
        TestConsumerMember a = member();
        a.join();
        settle(a);
        assertEquals(Map.of(P0, Errors.NONE), a.commit(Map.of(P0, 5L)));

        int epoch = a.epoch;
        a.epoch = epoch - 1;
        assertEquals(Map.of(P0, Errors.STALE_MEMBER_EPOCH), a.commit(Map.of(P0, 3L)));
        a.epoch = epoch;
        assertEquals(Map.of(P0, Errors.UNSUPPORTED_VERSION), TestConsumer.commit(coordinator, GROUP, epoch,
                a.memberId, null, Map.of(P0, 3L), (short) 8), "consumer-protocol members commit with v9+");
        assertEquals(Map.of(P0, Errors.UNKNOWN_MEMBER_ID), TestConsumer.commit(coordinator, GROUP, epoch,
                "someone", null, Map.of(P0, 3L), (short) 9));
        assertEquals(Map.of(P0, Errors.UNKNOWN_MEMBER_ID), TestConsumer.commit(coordinator, GROUP, -1, "",
                null, Map.of(P0, 3L), (short) 9), "no simple commits while the group has members");
        assertEquals(5, view(GROUP).offsets().get(P0).offset(), "no commit went backwards");

        assertEquals(Errors.NONE.code(), fetch(a.memberId, epoch).errorCode());
        assertEquals(5, fetch(a.memberId, epoch).topics().get(0).partitions().get(0).committedOffset());
        assertEquals(Errors.STALE_MEMBER_EPOCH.code(), fetch(a.memberId, epoch - 1).errorCode());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), fetch("someone", epoch).errorCode());
        assertEquals(Errors.NONE.code(), fetch(null, -1).errorCode(), "admin tools name no member");

        a.leave();
        assertEquals(Map.of(P0, Errors.NONE), TestConsumer.commit(coordinator, GROUP, -1, "", null,
                Map.of(P0, 2L), (short) 9), "an empty consumer group takes simple commits (resets)");
    }

    private OffsetFetchResponseData.OffsetFetchResponseGroup fetch(String memberId, int epoch) {
        OffsetFetchRequestData request = new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(GROUP).setMemberId(memberId)
                        .setMemberEpoch(epoch).setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics()
                                .setName("orders").setPartitionIndexes(List.of(0))))));
        return coordinator.fetchOffsets(request, (short) 9).groups().get(0);
    }

    /** Kafka converts an empty group when a member of the other protocol joins; a group with members refuses. */
    @Test
    void groupsChangeProtocolOnlyWhileEmpty() {
        store.commit(GROUP, Map.of(P0, new CommittedOffset(7, OptionalInt.empty(), "", Instant.EPOCH)));
        coordinator.close();
        coordinator = open(CONFIG); // a classic group with offsets only

        TestConsumerMember a = member();
        assertEquals(Errors.NONE, a.join(), "an empty classic group becomes a consumer group");
        assertEquals(GroupType.CONSUMER, view(GROUP).type());
        assertEquals(7, view(GROUP).offsets().get(P0).offset(), "with its offsets");

        TestConsumer classic = consumer(GROUP, "classic");
        classic.join();
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL.code(), classic.joined().errorCode());
        assertEquals(Errors.UNKNOWN_MEMBER_ID, classic.heartbeat());

        a.leave();
        classic.join();
        scheduler.runDue(); // the join phase
        assertEquals(Errors.NONE.code(), classic.joined().errorCode(), "an empty consumer group becomes classic");
        assertEquals(GroupType.CLASSIC, view(GROUP).type());
        assertEquals(7, view(GROUP).offsets().get(P0).offset());

        TestConsumerMember b = member();
        assertEquals(Errors.GROUP_ID_NOT_FOUND, b.join());
        assertTrue(b.last.errorMessage().contains("classic group with 1 member(s)"), b.last.errorMessage());
    }

    @Test
    void describingListingAndDeletingKnowBothTypes() {
        stableGroup("classic-group", 1);
        TestConsumerMember a = member().instance("instance-a");
        a.join();
        TestConsumerMember b = member();
        b.join();
        assertEquals(GroupState.RECONCILING, state(GROUP), "b waits for partitions a has");

        ListGroupsResponseData all = coordinator.listGroups(new ListGroupsRequestData());
        assertEquals(List.of("classic-group:classic:Stable", "orders:consumer:Reconciling"), all.groups().stream()
                .map(g -> g.groupId() + ":" + g.groupType() + ":" + g.groupState()).toList());
        assertEquals(List.of(GROUP), coordinator.listGroups(new ListGroupsRequestData()
                .setTypesFilter(List.of("Consumer"))).groups().stream().map(ListGroupsResponseData.ListedGroup::groupId)
                .toList());
        assertEquals(List.of(GROUP), coordinator.listGroups(new ListGroupsRequestData()
                .setStatesFilter(List.of("reconciling"))).groups().stream()
                .map(ListGroupsResponseData.ListedGroup::groupId).toList());

        DescribeGroupsResponseData.DescribedGroup asClassic = coordinator.describeGroups(List.of(GROUP)).groups()
                .get(0);
        assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), asClassic.errorCode());
        assertEquals("Group orders is not a classic group.", asClassic.errorMessage());
        assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), coordinator.consumerGroupDescribe(List.of("classic-group"),
                (short) 1).groups().get(0).errorCode());

        settle(a, b);
        ConsumerGroupDescribeResponseData.DescribedGroup described = coordinator.consumerGroupDescribe(
                List.of(GROUP), (short) 1).groups().get(0);
        TestConsumer.assertSerializable(new ConsumerGroupDescribeResponseData().setGroups(List.of(described)),
                (short) 1);
        assertEquals("Stable", described.groupState());
        assertEquals("uniform", described.assignorName());
        assertEquals(described.groupEpoch(), described.assignmentEpoch());
        ConsumerGroupDescribeResponseData.Member first = described.members().stream()
                .filter(m -> m.memberId().equals(a.memberId)).findFirst().orElseThrow();
        assertEquals("instance-a", first.instanceId());
        assertEquals(List.of("orders"), first.subscribedTopicNames());
        assertEquals(1, first.memberType());
        assertEquals("orders", first.assignment().topicPartitions().get(0).topicName());
        assertEquals(orders, first.assignment().topicPartitions().get(0).topicId());
        assertEquals(2, first.assignment().topicPartitions().get(0).partitions().size());
        assertEquals(first.assignment(), first.targetAssignment());

        assertEquals(Errors.NON_EMPTY_GROUP.code(), coordinator.deleteGroups(List.of(GROUP)).results().find(GROUP)
                .errorCode());
        a.leave();
        b.leave();
        assertEquals(GroupState.DEAD, state(GROUP), "an empty group without offsets is gone");
        assertTrue(consumerGroupStore.stored(GROUP).isEmpty(), "and out of the store");
    }
}
