package dev.tributary.broker.group;

import static dev.tributary.broker.group.TestConsumer.done;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class StaticMembershipTest extends GroupTestSupport {

    private List<TestConsumer> staticGroup() {
        List<TestConsumer> consumers = consumers("orders", 2);
        consumers.get(0).staticMember("instance-1");
        consumers.get(1).staticMember("instance-2");
        for (TestConsumer c : consumers) {
            c.sessionTimeoutMs = 45_000; // static members use long sessions to ride out restarts
            c.join();
        }
        completeRebalance(consumers);
        return consumers;
    }

    /** The same instance id, a fresh client: what a restarted static consumer is. */
    private TestConsumer restarted(TestConsumer before) {
        TestConsumer after = consumer(before.groupId, before.clientId).staticMember(before.groupInstanceId);
        after.protocols = before.protocols;
        after.sessionTimeoutMs = before.sessionTimeoutMs;
        return after;
    }

    @Test
    void aStaticMemberJoinsWithoutTheMemberIdRoundTrip() {
        TestConsumer member = consumer("orders", "client-1").staticMember("instance-1");
        assertFalse(member.sendJoin().isDone(), "parked in the join phase at once");
        assertTrue(member.memberId.isEmpty());
        scheduler.runDue();
        assertTrue(member.memberId.startsWith("instance-1-"));
    }

    @Test
    void aRestartedStaticMemberTakesItsPlaceWithoutARebalance() {
        List<TestConsumer> consumers = staticGroup();
        TestConsumer old = consumers.get(1);
        TestConsumer restarted = restarted(old);

        restarted.join();
        assertTrue(restarted.joinCompleted(), "answered at once");
        assertEquals(Errors.NONE.code(), restarted.joined().errorCode());
        assertEquals(1, restarted.joined().generationId(), "same generation: no rebalance");
        assertNotEquals(old.memberId, restarted.memberId);
        assertEquals(GroupState.STABLE, state("orders"));
        assertEquals(Errors.NONE, consumers.get(0).heartbeat());
        assertArrayEquals(assignmentFor(1), done(restarted.sync()).assignment(), "its old assignment");

        assertEquals(Errors.FENCED_INSTANCE_ID, old.heartbeat());
        assertEquals(Errors.FENCED_INSTANCE_ID.code(), done(old.sync()).errorCode());
        assertEquals(Errors.FENCED_INSTANCE_ID, old.commit(Map.of(new TopicPartition("t", 0), 1L))
                .get(new TopicPartition("t", 0)));
        assertEquals(Errors.FENCED_INSTANCE_ID.code(), done(old.sendJoin()).errorCode());
        assertEquals(Errors.NONE, restarted.heartbeat());
    }

    @Test
    void aRestartedStaticLeaderIsToldToSkipTheAssignment() {
        List<TestConsumer> consumers = staticGroup();
        TestConsumer restarted = restarted(consumers.get(0));
        restarted.join();
        assertTrue(restarted.joined().skipAssignment());
        assertEquals(restarted.memberId, restarted.joined().leader());
        assertEquals(2, restarted.joined().members().size());
        assertEquals(GroupState.STABLE, state("orders"));
    }

    @Test
    void aStaticMemberRestartingWithNewMetadataTriggersARebalance() {
        List<TestConsumer> consumers = staticGroup();
        TestConsumer restarted = restarted(consumers.get(1)).metadata(new byte[] {9});
        restarted.join();
        assertFalse(restarted.joinCompleted());
        assertEquals(GroupState.PREPARING_REBALANCE, state("orders"));
        consumers.get(0).join();
        assertEquals(2, restarted.joined().generationId());
    }

    @Test
    void aStaticMemberThatMissesTheJoinPhaseKeepsItsPlaceInTheNextGeneration() {
        List<TestConsumer> consumers = staticGroup();
        TestConsumer leader = consumers.get(0);
        leader.join(); // the leader rejoins; instance-2 is restarting
        scheduler.advance(leader.rebalanceTimeoutMs);
        assertEquals(2, leader.joined().generationId());
        assertEquals(2, leader.joined().members().size(), "instance-2 is kept for its return");
        leader.sync(Map.of(leader.memberId, assignmentFor(0), consumers.get(1).memberId, assignmentFor(1)));
        assertEquals(GroupState.STABLE, state("orders"));

        TestConsumer back = restarted(consumers.get(1));
        back.join();
        assertEquals(2, back.joined().generationId(), "it joins the generation it was assigned in");
        assertArrayEquals(assignmentFor(1), done(back.sync()).assignment());
        scheduler.advance(leader.rebalanceTimeoutMs);
        assertEquals(GroupState.STABLE, state("orders"), "it synced: no rebalance");
    }

    @Test
    void aStaticMemberThatStaysAwayIsRemovedWhenItDoesNotSync() {
        List<TestConsumer> consumers = staticGroup();
        TestConsumer leader = consumers.get(0);
        leader.join();
        scheduler.advance(leader.rebalanceTimeoutMs);
        leader.sync(Map.of());
        scheduler.advance(leader.rebalanceTimeoutMs);
        assertEquals(GroupState.PREPARING_REBALANCE, state("orders"));
        assertEquals(List.of(leader.memberId), view("orders").members().stream().map(MemberView::memberId).toList());
    }

    @Test
    void aLeaderElectedInPlaceOfAnAbsentOneKeepsTheRoleWhenTheOtherReturns() {
        List<TestConsumer> consumers = staticGroup();
        TestConsumer second = consumers.get(1).metadata(new byte[] {2});
        second.join(); // instance-1, the leader, is restarting meanwhile
        scheduler.advance(second.rebalanceTimeoutMs);
        assertEquals(second.memberId, second.joined().leader(), "a member that rejoined leads");
        second.sync(Map.of());

        TestConsumer first = restarted(consumers.get(0));
        first.join();
        assertEquals(second.memberId, first.joined().leader());
        first.sync();
        first.metadata(new byte[] {3}).join();
        second.join();
        assertEquals(3, first.joined().generationId());
        assertEquals(second.memberId, first.joined().leader(), "the leader keeps its role while it rejoins");
    }

    @Test
    void anOperatorRemovesAStaticMemberByItsInstanceId() {
        List<TestConsumer> consumers = staticGroup();
        LeaveGroupResponseData response = coordinator.leaveGroup(new LeaveGroupRequestData().setGroupId("orders")
                .setMembers(List.of(new LeaveGroupRequestData.MemberIdentity().setGroupInstanceId("instance-2"),
                        new LeaveGroupRequestData.MemberIdentity().setGroupInstanceId("instance-9"))), (short) 5);
        assertEquals(Errors.NONE.code(), response.members().get(0).errorCode());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), response.members().get(1).errorCode());
        assertEquals(Errors.UNKNOWN_MEMBER_ID, consumers.get(1).heartbeat());
        assertEquals(GroupState.PREPARING_REBALANCE, state("orders"));
    }
}
