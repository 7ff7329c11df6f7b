package dev.tributary.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer group protocol of KIP-848 as a coordinator serves it, heartbeat by heartbeat, on a manual clock:
 * server-side assignment, incremental revocation without a barrier, epochs, static members, timeouts and
 * rebalances on topic changes.
 */
class ConsumerGroupProtocolTest extends GroupTestSupport {

    private static final String GROUP = "orders";
    private final List<TestConsumerMember> members = new ArrayList<>();
    private Uuid orders;

    @BeforeEach
    void topics() {
        orders = topics.create("orders", 6);
    }

    private TestConsumerMember member() {
        TestConsumerMember member = new TestConsumerMember(coordinator, GROUP).subscribe("orders");
        members.add(member);
        return member;
    }

    /** Heartbeats every member in turn, each reconciling as the client does, checking ownership all along. */
    private void heartbeatAll(int rounds) {
        for (int i = 0; i < rounds; i++) {
            for (TestConsumerMember member : members) {
                assertEquals(Errors.NONE, member.heartbeat());
                member.reconcile();
                assertNoPartitionOwnedTwice();
            }
        }
    }

    /** The invariant KIP-848 is for: the partitions members consume never overlap. */
    private void assertNoPartitionOwnedTwice() {
        Set<String> seen = new HashSet<>();
        for (TestConsumerMember member : members) {
            member.owned.forEach((topic, partition) -> assertTrue(seen.add(topic + "-" + partition),
                    () -> topic + "-" + partition + " is consumed by two members"));
        }
    }

    private static Set<Integer> partitions(TestConsumerMember member, Uuid topic) {
        return member.owned.partitions(topic);
    }

    @Test
    void threeMembersShareSixPartitionsAndRebalanceAsTheyComeAndGo() {
        TestConsumerMember a = member();
        TestConsumerMember b = member();
        TestConsumerMember c = member();
        assertEquals(Errors.NONE, a.join());
        assertEquals(Errors.NONE, b.join());
        assertEquals(Errors.NONE, c.join());
        heartbeatAll(4);
        members.forEach(m -> assertEquals(2, m.owned.size()));
        assertEquals(GroupState.STABLE, state(GROUP));
        int epoch = a.epoch;
        assertTrue(members.stream().allMatch(m -> m.epoch == epoch), "everyone at the assignment epoch");

        assertEquals(Errors.NONE, c.leave());
        members.remove(c);
        heartbeatAll(4);
        assertEquals(3, a.owned.size());
        assertEquals(3, b.owned.size());

        TestConsumerMember d = member();
        assertEquals(Errors.NONE, d.join());
        heartbeatAll(4);
        members.forEach(m -> assertEquals(2, m.owned.size()));
        assertEquals(GroupState.STABLE, state(GROUP));
    }

    /** No global barrier: the owner keeps consuming what it keeps; the newcomer waits only for what moves. */
    @Test
    void aPartitionReachesItsNewOwnerOnlyAfterItsOldOwnerRevokedIt() {
        TestConsumerMember a = member();
        a.join();
        a.reconcile();
        assertEquals(Set.of(0, 1, 2, 3, 4, 5), partitions(a, orders));
        int before = a.epoch;

        TestConsumerMember b = member();
        assertEquals(Errors.NONE, b.join());
        assertTrue(b.assigned.isEmpty(), "everything is still a's");
        assertEquals(GroupState.RECONCILING, state(GROUP));

        assertEquals(Errors.NONE, a.heartbeat());
        assertEquals(3, a.assigned.size(), "a is asked to give three up");
        assertEquals(before, a.epoch, "a stays at its epoch while it revokes");
        assertEquals(Errors.NONE, a.heartbeat(), "a still owns all six: nothing moves");
        assertEquals(Errors.NONE, b.heartbeat());
        assertTrue(b.assigned.isEmpty(), "b gets nothing a has not revoked");

        a.reconcile(); // a revoked its three
        assertEquals(Errors.NONE, a.heartbeat());
        assertTrue(a.epoch > before, "having revoked, a moves to the new epoch");
        assertEquals(Errors.NONE, b.heartbeat());
        b.reconcile();
        assertEquals(3, b.owned.size());
        assertFalse(a.owned.overlaps(b.owned));
        assertEquals(a.epoch, b.epoch);
        assertEquals(GroupState.STABLE, state(GROUP));
    }

    @Test
    void aMemberThatStopsHeartbeatingIsRemovedAfterTheSessionTimeoutAndItsPartitionsMove() {
        TestConsumerMember a = member();
        TestConsumerMember b = member();
        a.join();
        b.join();
        heartbeatAll(3);
        int sessionMs = CONFIG.consumer().sessionTimeoutMs();

        scheduler.advance(sessionMs - 1_000);
        assertEquals(Errors.NONE, a.heartbeat()); // b is silent
        scheduler.advance(1_500);
        assertEquals(1, view(GROUP).members().size(), "b expired");
        members.remove(b);
        heartbeatAll(2);
        assertEquals(6, a.owned.size());
        assertEquals(Errors.UNKNOWN_MEMBER_ID, b.heartbeat(), "b learns it was removed and rejoins");
    }

    @Test
    void aMemberThatDoesNotRevokeWithinItsRebalanceTimeoutIsRemoved() {
        TestConsumerMember a = member();
        a.join();
        a.reconcile();
        TestConsumerMember b = member();
        b.join();
        assertEquals(Errors.NONE, a.heartbeat()); // asked to revoke three; never does
        for (int i = 0; i < 30; i++) {
            scheduler.advance(1_000);
            assertEquals(Errors.NONE, b.heartbeat(), "b keeps its session");
            if (i < 28) {
                assertEquals(Errors.NONE, a.heartbeatWithoutOwned(), "a keeps its session, not its promise");
            }
        }
        scheduler.advance(1_000);
        assertNull(coordinator.group(GROUP).orElseThrow().members().stream()
                .filter(m -> m.memberId().equals(a.memberId)).findAny().orElse(null), "a was fenced");
        members.remove(a);
        heartbeatAll(2);
        assertEquals(6, b.owned.size());
    }

    @Test
    void epochsAheadOrBehindAreFencedExceptTheOneBeforeAfterALostResponse() {
        TestConsumerMember a = member();
        a.join();
        a.reconcile();
        int first = a.epoch;
        TestConsumerMember b = member();
        b.join();
        a.heartbeat();
        a.reconcile(); // revoked three
        assertEquals(Errors.NONE, a.heartbeat());
        int second = a.epoch;
        assertTrue(second > first);

        a.epoch = first; // the response that moved it on was lost
        assertEquals(Errors.NONE, a.heartbeat(), "the previous epoch, owning only what it has, is accepted");
        assertEquals(second, a.epoch);

        a.epoch = first;
        a.owned = Assignment.of(orders, List.of(0, 1, 2, 3, 4, 5));
        assertEquals(Errors.FENCED_MEMBER_EPOCH, a.heartbeat(), "not while it claims what it gave up");
        assertEquals(Errors.NONE, a.join());

        heartbeatAll(3);
        b.epoch = b.epoch + 1;
        assertEquals(Errors.FENCED_MEMBER_EPOCH, b.heartbeat(), "ahead of the coordinator");
        assertEquals(0, b.epoch, "the client drops its partitions and rejoins");
        b.epoch = 1;
        assertEquals(Errors.FENCED_MEMBER_EPOCH, b.heartbeat(), "an old epoch is fenced too");
    }

    @Test
    void aStaticMemberThatLeavesForNowKeepsItsPartitionsForItsNextInstance() {
        TestConsumerMember a = member().instance("instance-a");
        TestConsumerMember b = member().instance("instance-b");
        a.join();
        b.join();
        heartbeatAll(3);
        Assignment bPartitions = b.owned;
        int groupEpoch = view(GROUP).generationId();

        assertEquals(Errors.NONE, b.leaveForNow());
        assertEquals(ConsumerGroupProtocol.LEAVE_GROUP_STATIC_MEMBER_EPOCH, b.last.memberEpoch());
        members.remove(b);
        heartbeatAll(2);
        assertEquals(3, a.owned.size(), "a does not get b's partitions while b is away");

        TestConsumerMember restarted = new TestConsumerMember(coordinator, GROUP).subscribe("orders")
                .instance("instance-b");
        TestConsumerMember intruder = new TestConsumerMember(coordinator, GROUP).subscribe("orders")
                .instance("instance-a");
        assertEquals(Errors.UNRELEASED_INSTANCE_ID, intruder.join(), "instance-a is in use");
        assertEquals(Errors.NONE, restarted.join());
        assertEquals(bPartitions, restarted.assigned, "its partitions back at once");
        assertEquals(groupEpoch, view(GROUP).generationId(), "without a rebalance");
        assertEquals(Errors.FENCED_INSTANCE_ID, b.heartbeat(), "the old instance is fenced");
    }

    @Test
    void aStaticMemberAwayLongerThanItsSessionIsRemoved() {
        TestConsumerMember a = member().instance("instance-a");
        TestConsumerMember b = member().instance("instance-b");
        a.join();
        b.join();
        heartbeatAll(3);
        b.leaveForNow();
        members.remove(b);
        for (int i = 0; i < 50; i++) {
            scheduler.advance(1_000);
            a.heartbeat();
            a.reconcile();
        }
        heartbeatAll(2);
        assertEquals(6, a.owned.size());
    }

    @Test
    void addedPartitionsAndNewMatchingTopicsAreAssignedAndDeletedTopicsRevoked() {
        TestConsumerMember a = member();
        a.regex = "orders|invoices-.*";
        a.join();
        heartbeatAll(2);
        assertEquals(6, a.owned.size());

        topics.addPartitions("orders", 8);
        heartbeatAll(2);
        assertEquals(8, a.owned.size(), "added partitions are assigned");

        Uuid invoices = topics.create("invoices-eu", 2);
        topics.create("shipments", 2);
        scheduler.advance(ConsumerGroupProtocol.REGEX_REFRESH_INTERVAL_MS);
        heartbeatAll(2);
        assertEquals(Set.of(0, 1), partitions(a, invoices), "a new topic matching the regex");
        assertEquals(10, a.owned.size(), "not a topic the regex does not match");

        topics.delete("orders");
        heartbeatAll(2);
        assertEquals(2, a.owned.size(), "a deleted topic's partitions are revoked");
    }

    @Test
    void aMemberCanChangeItsSubscription() {
        Uuid invoices = topics.create("invoices", 3);
        TestConsumerMember a = member();
        a.join();
        heartbeatAll(2);
        a.topics = List.of("invoices");
        assertEquals(Errors.NONE, a.send(a.full().setMemberEpoch(a.epoch)));
        a.reconcile();
        heartbeatAll(2);
        assertEquals(Set.of(0, 1, 2), partitions(a, invoices));
        assertEquals(3, a.owned.size());
    }

    @Test
    void membersChooseTheRangeAssignorAndUnknownAssignorsAreRefused() {
        topics.create("payments", 6);
        TestConsumerMember a = member().subscribe("orders", "payments");
        TestConsumerMember b = member().subscribe("orders", "payments");
        a.assignor = "range";
        b.assignor = "range";
        a.join();
        b.join();
        heartbeatAll(3);
        Uuid payments = topics.id("payments");
        assertEquals(partitions(a, orders), partitions(a, payments), "range co-partitions");
        assertEquals("range", coordinator.consumerGroupDescribe(List.of(GROUP), (short) 1).groups().get(0)
                .assignorName());

        TestConsumerMember c = member();
        c.assignor = "sticky";
        assertEquals(Errors.UNSUPPORTED_ASSIGNOR, c.join());
        assertTrue(c.last.errorMessage().contains("uniform, range"), c.last.errorMessage());
    }

    @Test
    void malformedHeartbeatsAreRefusedWithKafkasMessages() {
        TestConsumerMember a = member();
        assertInvalid(a.full().setRebalanceTimeoutMs(-1), "RebalanceTimeoutMs must be provided in first request.");
        assertInvalid(a.full().setTopicPartitions(null), "TopicPartitions must be empty when (re-)joining.");
        assertInvalid(a.full().setSubscribedTopicNames(List.of()),
                "SubscribedTopicNames or SubscribedTopicRegex must be set in first request.");
        assertInvalid(a.full().setMemberEpoch(-3), "MemberEpoch is invalid.");
        assertInvalid(a.full().setMemberId(""), "MemberId can't be empty.");
        assertInvalid(a.full().setInstanceId(" "), "InstanceId can't be empty.");
        assertEquals(Errors.INVALID_REGULAR_EXPRESSION, a.send(a.full().setSubscribedTopicNames(null)
                .setSubscribedTopicRegex("orders[")));
        assertEquals(Errors.INVALID_GROUP_ID, a.send(a.full().setGroupId("")));
        assertEquals(GroupState.DEAD, state(GROUP), "no group was left behind");
    }

    @Test
    void version0MembersGetTheirIdFromTheCoordinator() {
        TestConsumerMember a = member();
        a.version = 0;
        a.memberId = "";
        assertEquals(Errors.NONE, a.join());
        assertFalse(a.memberId.isEmpty());
        a.reconcile();
        assertEquals(Errors.NONE, a.heartbeat());
        assertEquals(6, a.owned.size());
    }

    @Test
    void aFullGroupRefusesNewMembers() {
        coordinator.close();
        coordinator = open(CONFIG.withConsumer(CONFIG.consumer().withMaxSize(2)));
        new TestConsumerMember(coordinator, GROUP).subscribe("orders").join();
        new TestConsumerMember(coordinator, GROUP).subscribe("orders").join();
        TestConsumerMember third = new TestConsumerMember(coordinator, GROUP).subscribe("orders");
        assertEquals(Errors.GROUP_MAX_SIZE_REACHED, third.join());
    }

    private void assertInvalid(ConsumerGroupHeartbeatRequestData request, String message) {
        TestConsumerMember probe = new TestConsumerMember(coordinator, GROUP);
        assertEquals(Errors.INVALID_REQUEST, probe.send(request));
        assertEquals(message, probe.last.errorMessage());
    }
}
