package dev.tributary.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.cluster.StandaloneMembership;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * A coordinator in a cluster serves only the groups placed on its broker, and follows the live brokers: groups
 * placed elsewhere are refused NOT_COORDINATOR and unloaded, groups it gains are loaded from the shared store.
 * This coordinator is broker 1; "broker 2" is the store written behind its back.
 */
class GroupHandoverTest extends GroupTestSupport {

    private static final TopicPartition T0 = new TopicPartition("t", 0);
    /** Placed on broker 1 whether broker 2 is alive or not. */
    private static final String MINE = groupOn(1, "mine-");
    /** Placed on broker 2 while it is alive (on broker 1, of course, when it is alone). */
    private static final String THEIRS = groupOn(2, "theirs-");

    @Test
    void everyGroupApiRefusesAGroupPlacedOnAnotherBroker() {
        FakeMembership membership = new FakeMembership(1, 1, 2);
        coordinator.follow(membership);
        storedByBroker2(THEIRS, 9);

        TestConsumer theirs = consumer(THEIRS, "c");
        theirs.join();
        assertEquals(Errors.NOT_COORDINATOR.code(), theirs.joined().errorCode());
        assertEquals(Errors.NOT_COORDINATOR, theirs.heartbeat());
        assertEquals(Map.of(T0, Errors.NOT_COORDINATOR),
                TestConsumer.commit(coordinator, THEIRS, -1, "", null, Map.of(T0, 1L), (short) 9));
        assertEquals(Errors.NOT_COORDINATOR.code(), fetch(THEIRS).errorCode());
        assertEquals(Errors.NOT_COORDINATOR.code(), coordinator.fetchOffsets(
                OffsetProtocolTest.fetchV7(THEIRS, "t", 0), (short) 7).errorCode());
        assertEquals(Errors.NOT_COORDINATOR.code(),
                coordinator.describeGroups(List.of(THEIRS)).groups().get(0).errorCode());
        assertEquals(Errors.NOT_COORDINATOR.code(),
                coordinator.deleteGroups(List.of(THEIRS)).results().find(THEIRS).errorCode());
        assertEquals(Errors.NOT_COORDINATOR.code(),
                coordinator.deleteOffsets(new OffsetDeleteRequestData().setGroupId(THEIRS)).errorCode());
        assertEquals(Errors.NOT_COORDINATOR.code(), theirs.leave().errorCode());
        assertEquals(Map.of(T0, committed(9)), store.stored(THEIRS), "refused, not deleted");

        stableGroup(MINE, 1).get(0).commit(Map.of(T0, 4L));
        ListGroupsResponseData listed = coordinator.listGroups(new ListGroupsRequestData());
        assertEquals(Errors.NONE.code(), listed.errorCode());
        assertEquals(List.of(MINE), listed.groups().stream().map(ListGroupsResponseData.ListedGroup::groupId)
                .toList(), "broker 2 lists its own groups");
    }

    @Test
    void joiningAClusterRereadsTheOffsetsOfTheGroupsKeptSinceOthersCommittedAfterOpen() {
        storedByBroker2(MINE, 5); // after this coordinator opened, before its broker joined
        coordinator.follow(new FakeMembership(1, 1, 2));
        assertEquals(5, fetch(MINE).topics().get(0).partitions().get(0).committedOffset());
    }

    @Test
    void aGroupThatMovesAwayIsUnloadedItsParkedRequestsAnsweredAndItsTimersCancelled() {
        FakeMembership membership = new FakeMembership(1, 1);
        coordinator.follow(membership);
        TestConsumer a = stableGroup(THEIRS, 1).get(0);
        assertEquals(Map.of(T0, Errors.NONE), a.commit(Map.of(T0, 10L)));
        TestConsumer b = consumer(THEIRS, "b");
        b.join();
        assertFalse(b.joinCompleted(), "parked until a rejoins");
        assertTrue(scheduler.pendingTasks() > 0, "the rebalance and the sessions are timed");

        membership.live(1, 2);
        scheduler.runDue();

        assertEquals(Errors.NOT_COORDINATOR.code(), b.joined().errorCode());
        assertEquals(Errors.NOT_COORDINATOR, a.heartbeat());
        assertEquals(Map.of(T0, Errors.NOT_COORDINATOR), a.commit(Map.of(T0, 11L)));
        assertEquals(0, scheduler.pendingTasks(), "no timer of the group is left");
        assertEquals(List.of(), coordinator.groups());
        assertEquals(10, store.stored(THEIRS).get(T0).offset(),
                "what was committed stays in the shared store for the next coordinator");
    }

    @Test
    void aGroupThatComesBackStartsEmptyWithTheOffsetsItsOtherCoordinatorCommitted() {
        FakeMembership membership = new FakeMembership(1, 1);
        coordinator.follow(membership);
        TestConsumer a = stableGroup(THEIRS, 1).get(0);
        a.commit(Map.of(T0, 10L));

        membership.live(1, 2);
        scheduler.runDue();
        storedByBroker2(THEIRS, 20);
        membership.live(1); // broker 2 died
        scheduler.runDue();

        assertEquals(20, fetch(THEIRS).topics().get(0).partitions().get(0).committedOffset(),
                "read again from the store, not the offsets cached before the group left");
        assertEquals(GroupState.EMPTY, state(THEIRS));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, a.heartbeat(), "members are not handed over: they rejoin");
        a.memberId = "";
        a.join();
        completeRebalance(List.of(a));
        assertEquals(Map.of(T0, Errors.NONE), a.commit(Map.of(T0, 21L)));
    }

    @Test
    void whileAGainedGroupLoadsItsRequestsWaitAndTheOtherGroupsCarryOn() {
        FakeMembership membership = new FakeMembership(1, 1, 2);
        coordinator.follow(membership);
        TestConsumer mine = stableGroup(MINE, 1).get(0);
        mine.commit(Map.of(T0, 3L));
        storedByBroker2(THEIRS, 7);

        store.failing(true);
        membership.live(1);
        scheduler.runDue();

        TestConsumer theirs = consumer(THEIRS, "c");
        theirs.join();
        assertEquals(Errors.COORDINATOR_LOAD_IN_PROGRESS.code(), theirs.joined().errorCode());
        assertEquals(Errors.COORDINATOR_LOAD_IN_PROGRESS.code(), fetch(THEIRS).errorCode());
        assertEquals(Errors.NONE, theirs.heartbeat(), "as Kafka answers a heartbeat while loading");
        assertEquals(Errors.REBALANCE_IN_PROGRESS.code(), TestConsumer.done(coordinator.syncGroup(
                new SyncGroupRequestData().setGroupId(THEIRS).setMemberId("m").setGenerationId(1), (short) 5))
                .errorCode(), "as Kafka answers a sync while loading: back to JoinGroup");
        assertEquals(Errors.COORDINATOR_LOAD_IN_PROGRESS.code(),
                coordinator.listGroups(new ListGroupsRequestData()).errorCode());
        assertEquals(Errors.NONE, mine.heartbeat());
        assertEquals(3, fetch(MINE).topics().get(0).partitions().get(0).committedOffset());

        store.failing(false);
        scheduler.advance(GroupHandover.RETRY_LOAD_MS);

        assertEquals(7, fetch(THEIRS).topics().get(0).partitions().get(0).committedOffset());
        assertEquals(Set.of(MINE, THEIRS), Set.copyOf(coordinator.listGroups(new ListGroupsRequestData()).groups()
                .stream().map(ListGroupsResponseData.ListedGroup::groupId).toList()));
    }

    @Test
    void aBrokerAloneKeepsCoordinatingEveryGroupWithItsMembers() {
        List<TestConsumer> members = stableGroup(THEIRS, 2);
        members.get(0).commit(Map.of(T0, 8L));

        coordinator.follow(new StandaloneMembership(FakeMembership.broker(1)));

        assertEquals(GroupState.STABLE, state(THEIRS));
        members.forEach(member -> assertEquals(Errors.NONE, member.heartbeat()));
        assertEquals(8, fetch(THEIRS).topics().get(0).partitions().get(0).committedOffset());
        stableGroup(MINE, 1);
    }

    private OffsetFetchResponseData.OffsetFetchResponseGroup fetch(String group) {
        return coordinator.fetchOffsets(OffsetProtocolTest.fetchV8(group, "t", 0), (short) 8).groups().get(0);
    }

    private void storedByBroker2(String group, long offset) {
        store.commit(group, Map.of(T0, committed(offset)));
    }

    private static CommittedOffset committed(long offset) {
        return new CommittedOffset(offset, OptionalInt.empty(), "", Instant.EPOCH);
    }

    /** The first id with {@code prefix} that brokers 1 and 2 place on {@code broker}. */
    private static String groupOn(int broker, String prefix) {
        for (int i = 0; ; i++) {
            String group = prefix + i;
            if (CoordinatorPlacement.coordinatorId(group, Set.of(1, 2)).orElseThrow() == broker) {
                return group;
            }
        }
    }
}
