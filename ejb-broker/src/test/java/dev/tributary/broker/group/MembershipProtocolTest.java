package dev.tributary.broker.group;

import static dev.tributary.broker.group.TestConsumer.done;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class MembershipProtocolTest extends GroupTestSupport {

    @Test
    void threeMembersJoinAndSyncToStableWithTheLeadersAssignment() {
        List<TestConsumer> consumers = consumers("orders", 3);
        consumers.forEach(TestConsumer::join);
        consumers.forEach(c -> assertFalse(c.joinCompleted(), "the join phase waits out the initial delay"));
        assertEquals(GroupState.PREPARING_REBALANCE, state("orders"));

        scheduler.runDue();

        TestConsumer leader = consumers.get(0);
        for (TestConsumer c : consumers) {
            JoinGroupResponseData joined = c.joined();
            assertEquals(Errors.NONE.code(), joined.errorCode());
            assertEquals(1, joined.generationId());
            assertEquals("range", joined.protocolName());
            assertEquals("consumer", joined.protocolType());
            assertEquals(leader.memberId, joined.leader(), "the first joiner leads");
            assertTrue(c.memberId.startsWith(c.clientId + "-"));
        }
        assertEquals(consumers.stream().map(c -> c.memberId).toList(),
                leader.joined().members().stream().map(m -> m.memberId()).toList(), "the leader gets every member");
        assertArrayEquals(new byte[] {1}, leader.joined().members().get(1).metadata());
        assertEquals(List.of(), consumers.get(1).joined().members(), "followers get no members");
        assertEquals(GroupState.COMPLETING_REBALANCE, state("orders"));

        consumers.get(1).sync();
        consumers.get(2).sync();
        assertFalse(consumers.get(1).sync().isDone(), "followers wait for the leader's assignment");
        leader.sync(Map.of(leader.memberId, new byte[] {10}, consumers.get(1).memberId, new byte[] {11},
                consumers.get(2).memberId, new byte[] {12}));

        for (int i = 0; i < 3; i++) {
            assertArrayEquals(new byte[] {(byte) (10 + i)}, consumers.get(i).synced().assignment());
            assertEquals("range", consumers.get(i).synced().protocolName());
            assertEquals(Errors.NONE, consumers.get(i).heartbeat());
        }
        GroupView view = view("orders");
        assertEquals(GroupState.STABLE, view.state());
        assertEquals(1, view.generationId());
        assertEquals(leader.memberId, view.leaderId().orElseThrow());
        assertEquals(3, view.members().size());
        assertArrayEquals(new byte[] {11}, view.members().get(1).assignment());
        assertEquals("client-2", view.members().get(1).clientId());
        assertEquals("/127.0.0.1", view.members().get(1).clientHost());
    }

    @Test
    void theInitialDelayGathersMembersThatArriveWhileItRuns() {
        coordinator.close();
        coordinator = open(CONFIG.withInitialRebalanceDelayMs(3_000));
        List<TestConsumer> consumers = consumers("orders", 2);
        consumers.get(0).join();
        scheduler.advance(2_000);
        consumers.get(1).join();
        scheduler.advance(1_000);
        assertFalse(consumers.get(0).joinCompleted(), "a member arrived during the delay: it is extended");
        scheduler.advance(3_000);
        assertEquals(1, consumers.get(0).joined().generationId());
        assertEquals(2, consumers.get(0).joined().members().size(), "one generation for both");
    }

    @Test
    void aNewMemberTriggersARebalanceThatExistingMembersLearnOfFromHeartbeats() {
        List<TestConsumer> consumers = stableGroup("orders", 2);
        TestConsumer newcomer = consumer("orders", "client-3");

        newcomer.join();
        assertFalse(newcomer.joinCompleted());
        assertEquals(GroupState.PREPARING_REBALANCE, state("orders"));
        for (TestConsumer c : consumers) {
            assertEquals(Errors.REBALANCE_IN_PROGRESS, c.heartbeat());
        }
        consumers.get(0).join();
        assertFalse(newcomer.joinCompleted(), "waits for every known member");
        consumers.get(1).join();

        consumers.add(newcomer);
        for (TestConsumer c : consumers) {
            assertEquals(2, c.joined().generationId());
            assertEquals(consumers.get(0).memberId, c.joined().leader(), "the leader keeps its role");
        }
        assertEquals(3, consumers.get(0).joined().members().size());
        Map<String, byte[]> assignments = completeRebalance(consumers);
        assertArrayEquals(assignments.get(newcomer.memberId), newcomer.synced().assignment());
        assertEquals(GroupState.STABLE, state("orders"));
    }

    @Test
    void aLeavingMemberTriggersARebalanceWithoutIt() {
        List<TestConsumer> consumers = stableGroup("orders", 3);
        TestConsumer leaving = consumers.remove(1);

        LeaveGroupResponseData left = leaving.leave();
        assertEquals(Errors.NONE.code(), left.errorCode());
        assertEquals(Errors.NONE.code(), left.members().get(0).errorCode());
        assertEquals(Errors.REBALANCE_IN_PROGRESS, consumers.get(0).heartbeat());
        consumers.forEach(TestConsumer::join);

        assertEquals(2, consumers.get(0).joined().generationId());
        assertEquals(2, consumers.get(0).joined().members().size());
        assertEquals(Errors.UNKNOWN_MEMBER_ID, leaving.heartbeat());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), leaving.leave().members().get(0).errorCode());
    }

    @Test
    void whenTheLeaderLeavesAnotherMemberLeads() {
        List<TestConsumer> consumers = stableGroup("orders", 2);
        consumers.get(0).leaveVersion = 2; // one member per request before v3
        assertEquals(Errors.NONE.code(), consumers.get(0).leave().errorCode());
        consumers.get(1).join();
        assertEquals(consumers.get(1).memberId, consumers.get(1).joined().leader());
    }

    @Test
    void theLastMemberLeavingEmptiesTheGroup() {
        List<TestConsumer> consumers = stableGroup("orders", 1);
        consumers.get(0).commit(Map.of(new org.apache.kafka.common.TopicPartition("t", 0), 5L));
        consumers.get(0).leave();
        GroupView view = view("orders");
        assertEquals(GroupState.EMPTY, view.state());
        assertEquals(2, view.generationId(), "Kafka moves an emptied group to the next generation");
    }

    @Test
    void aSilentMemberExpiresAfterItsSessionTimeoutAndTheGroupRebalances() {
        List<TestConsumer> consumers = stableGroup("orders", 2);
        TestConsumer alive = consumers.get(0);
        TestConsumer silent = consumers.get(1);

        scheduler.advance(6_000);
        assertEquals(Errors.NONE, alive.heartbeat());
        scheduler.advance(3_999);
        assertEquals(GroupState.STABLE, state("orders"), "the silent member is within its 10 s session");
        scheduler.advance(1);
        assertEquals(GroupState.PREPARING_REBALANCE, state("orders"));
        assertEquals(Errors.REBALANCE_IN_PROGRESS, alive.heartbeat());

        alive.join();
        assertEquals(2, alive.joined().generationId());
        assertEquals(List.of(alive.memberId),
                alive.joined().members().stream().map(m -> m.memberId()).toList());
        assertEquals(Errors.UNKNOWN_MEMBER_ID, silent.heartbeat());
    }

    @Test
    void aMemberThatDoesNotRejoinWithinTheRebalanceTimeoutIsDropped() {
        List<TestConsumer> consumers = consumers("orders", 2);
        for (TestConsumer c : consumers) {
            c.sessionTimeoutMs = 30_000;
            c.rebalanceTimeoutMs = 5_000;
            c.join();
        }
        completeRebalance(consumers);
        TestConsumer newcomer = consumer("orders", "client-3");
        newcomer.rebalanceTimeoutMs = 5_000;
        newcomer.join();
        consumers.get(0).join();

        scheduler.advance(4_999);
        assertFalse(newcomer.joinCompleted(), "still waiting for client-2");
        scheduler.advance(1);

        assertEquals(2, newcomer.joined().generationId());
        assertEquals(Set.of(consumers.get(0).memberId, newcomer.memberId),
                consumers.get(0).joined().members().stream().map(m -> m.memberId()).collect(Collectors.toSet()));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, consumers.get(1).heartbeat());
    }

    @Test
    void aMemberThatDoesNotSyncWithinTheRebalanceTimeoutIsDropped() {
        List<TestConsumer> consumers = consumers("orders", 2);
        for (TestConsumer c : consumers) {
            c.rebalanceTimeoutMs = 5_000;
            c.join();
        }
        scheduler.runDue();
        TestConsumer leader = consumers.get(0);
        leader.sync(Map.of(leader.memberId, assignmentFor(0), consumers.get(1).memberId, assignmentFor(1)));
        assertEquals(GroupState.STABLE, state("orders"));

        scheduler.advance(5_000);
        assertEquals(GroupState.PREPARING_REBALANCE, state("orders"), "client-2 never synced");
        assertEquals(Errors.REBALANCE_IN_PROGRESS, leader.heartbeat());
        leader.join();
        assertEquals(1, leader.joined().members().size());
    }

    @Test
    void aNewDynamicMemberIsGivenItsIdFirst() {
        TestConsumer consumer = consumer("orders", "client-1");
        JoinGroupResponseData first = done(consumer.sendJoin());
        assertEquals(Errors.MEMBER_ID_REQUIRED.code(), first.errorCode());
        assertTrue(first.memberId().startsWith("client-1-"));
        assertEquals(List.of(), view("orders").members(), "a pending member is not a member yet");

        consumer.join();
        scheduler.runDue();
        assertEquals(first.memberId(), consumer.joined().memberId());
        assertEquals(1, consumer.joined().generationId());
    }

    @Test
    void aPendingMemberIdExpiresAfterTheSessionTimeout() {
        TestConsumer consumer = consumer("orders", "client-1");
        done(consumer.sendJoin());
        scheduler.advance(consumer.sessionTimeoutMs);
        assertEquals(GroupState.DEAD, state("orders"), "a group holding nothing is not kept");
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), done(consumer.sendJoin()).errorCode());
    }

    @Test
    void joinGroupBeforeVersion4JoinsAtOnce() {
        TestConsumer consumer = consumer("orders", "client-1");
        consumer.joinVersion = 3;
        JoinGroupResponseData[] first = new JoinGroupResponseData[1];
        consumer.sendJoin().thenAccept(r -> first[0] = r);
        scheduler.runDue();
        assertEquals(Errors.NONE.code(), first[0].errorCode());
        assertEquals("range", first[0].protocolName());
    }

    @Test
    void requestsOfAnOldGenerationAreRefused() {
        List<TestConsumer> consumers = stableGroup("orders", 2);
        TestConsumer member = consumers.get(1);
        member.generation = 0;
        assertEquals(Errors.ILLEGAL_GENERATION, member.heartbeat());
        assertEquals(Errors.ILLEGAL_GENERATION.code(), done(member.sync()).errorCode());
        assertEquals(Errors.ILLEGAL_GENERATION,
                member.commit(Map.of(new org.apache.kafka.common.TopicPartition("t", 0), 1L)).values().iterator()
                        .next());
        member.generation = 1;
        assertEquals(Errors.NONE, member.heartbeat());
    }

    @Test
    void aMemberRejoiningWithFewerOwnedPartitionsGetsANewGeneration() {
        // Cooperative assignors put the partitions a member owns into its metadata; after revoking some it rejoins
        // with the smaller set, and the group must run another rebalance for it.
        List<TestConsumer> consumers = stableGroup("orders", 2);
        TestConsumer follower = consumers.get(1);
        follower.metadata(new byte[] {1, 0}); // owns fewer partitions now

        follower.join();
        assertEquals(GroupState.PREPARING_REBALANCE, state("orders"));
        assertEquals(Errors.REBALANCE_IN_PROGRESS, consumers.get(0).heartbeat());
        consumers.get(0).join();

        assertEquals(2, follower.joined().generationId());
        assertArrayEquals(new byte[] {1, 0}, consumers.get(0).joined().members().get(1).metadata(),
                "the leader sees the new metadata");
        Map<String, byte[]> assignments = completeRebalance(consumers);
        assertArrayEquals(assignments.get(follower.memberId), follower.synced().assignment());
        assertEquals(Errors.NONE, follower.heartbeat());
    }

    @Test
    void aFollowerRejoiningUnchangedInAStableGroupGetsTheCurrentGeneration() {
        List<TestConsumer> consumers = stableGroup("orders", 2);
        TestConsumer follower = consumers.get(1);
        follower.join();
        assertEquals(1, follower.joined().generationId());
        assertEquals(GroupState.STABLE, state("orders"));
        assertArrayEquals(assignmentFor(1), done(follower.sync()).assignment());
    }

    @Test
    void theLeaderRejoiningTriggersARebalance() {
        List<TestConsumer> consumers = stableGroup("orders", 2);
        consumers.get(0).join();
        assertEquals(GroupState.PREPARING_REBALANCE, state("orders"));
        consumers.get(1).join();
        assertEquals(2, consumers.get(0).joined().generationId());
    }

    @Test
    void aSyncDuringARebalanceIsToldToRejoin() {
        List<TestConsumer> consumers = consumers("orders", 2);
        consumers.forEach(TestConsumer::join);
        scheduler.runDue();
        consumers.get(1).sync();
        consumer("orders", "client-3").join(); // before the leader synced
        assertEquals(Errors.REBALANCE_IN_PROGRESS.code(), consumers.get(1).synced().errorCode());
        assertEquals(Errors.REBALANCE_IN_PROGRESS.code(), done(consumers.get(0).sync()).errorCode());
    }

    @Test
    void protocolSelectionPicksWhatEveryMemberSupportsByPreference() {
        TestConsumer a = consumer("orders", "a");
        a.protocols = new java.util.LinkedHashMap<>();
        a.protocols.put("cooperative-sticky", new byte[] {1});
        a.protocols.put("range", new byte[] {2});
        TestConsumer b = consumer("orders", "b");
        b.protocols = new java.util.LinkedHashMap<>();
        b.protocols.put("roundrobin", new byte[] {3});
        b.protocols.put("range", new byte[] {4});
        b.protocols.put("cooperative-sticky", new byte[] {5});
        TestConsumer c = consumer("orders", "c");
        c.protocols = new java.util.LinkedHashMap<>();
        c.protocols.put("cooperative-sticky", new byte[] {6});
        c.protocols.put("range", new byte[] {7});
        List.of(a, b, c).forEach(TestConsumer::join);
        scheduler.runDue();
        // votes among {cooperative-sticky, range}: a → cooperative-sticky, b → range, c → cooperative-sticky
        assertEquals("cooperative-sticky", a.joined().protocolName());
        assertArrayEquals(new byte[] {5}, a.joined().members().get(1).metadata(), "b's metadata for that protocol");
    }

    @Test
    void invalidJoinsAreRefused() {
        TestConsumer noGroup = consumer("", "client-1");
        assertEquals(Errors.INVALID_GROUP_ID.code(), done(noGroup.sendJoin()).errorCode());

        TestConsumer impatient = consumer("orders", "client-1");
        impatient.sessionTimeoutMs = 5_999;
        assertEquals(Errors.INVALID_SESSION_TIMEOUT.code(), done(impatient.sendJoin()).errorCode());
        impatient.sessionTimeoutMs = 1_800_001;
        assertEquals(Errors.INVALID_SESSION_TIMEOUT.code(), done(impatient.sendJoin()).errorCode());
        assertEquals(GroupState.DEAD, state("orders"), "no group is left behind by refused joins");

        stableGroup("orders", 1);
        TestConsumer otherType = consumer("orders", "client-2");
        otherType.protocolType = "connect";
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL.code(), done(otherType.join()).errorCode());
        TestConsumer otherProtocol = consumer("orders", "client-3");
        otherProtocol.protocols = new java.util.LinkedHashMap<>(Map.of("roundrobin", new byte[0]));
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL.code(), done(otherProtocol.join()).errorCode());
        assertEquals(GroupState.STABLE, state("orders"));

        TestConsumer stranger = consumer("orders", "client-4");
        stranger.memberId = "client-4-made-up";
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), done(stranger.sendJoin()).errorCode());
        assertEquals(Errors.UNKNOWN_MEMBER_ID, consumer("nowhere", "x").heartbeat());
    }

    @Test
    void closingAnswersParkedRequestsNotCoordinator() {
        TestConsumer consumer = consumer("orders", "client-1");
        consumer.join();
        coordinator.close();
        assertEquals(Errors.NOT_COORDINATOR.code(), consumer.joined().errorCode());
        assertEquals(Errors.NOT_COORDINATOR, consumer.heartbeat());
        assertEquals(0, scheduler.pendingTasks(), "no timer outlives the coordinator");
    }

    @Test
    void responsesOfOldVersionsSerialize() {
        List<TestConsumer> consumers = consumers("orders", 2);
        for (TestConsumer c : consumers) {
            c.joinVersion = 0;
            c.syncVersion = 0;
            c.join();
        }
        Map<String, byte[]> assignments = completeRebalance(consumers); // TestConsumer checks every response
        assertNotEquals(0, assignments.size());
        assertEquals(null, consumers.get(0).joined().protocolType(), "a v7+ field");
        assertEquals("range", consumers.get(0).joined().protocolName());
    }
}
