package dev.tributary.broker.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class GroupAdministrationTest extends GroupTestSupport {

    private static final TopicPartition T0 = new TopicPartition("t", 0);

    @Test
    void describeShowsMembersAndAssignmentsOfAStableGroup() {
        stableGroup("orders", 2);
        DescribeGroupsResponseData response = coordinator.describeGroups(List.of("orders", "missing"));
        TestConsumer.assertSerializable(response, (short) 6);
        DescribedGroup orders = response.groups().get(0);
        assertEquals("Stable", orders.groupState());
        assertEquals("consumer", orders.protocolType());
        assertEquals("range", orders.protocolData());
        assertEquals(2, orders.members().size());
        assertArrayEquals(assignmentFor(1), orders.members().get(1).memberAssignment());
        assertEquals("client-2", orders.members().get(1).clientId());
        assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), response.groups().get(1).errorCode());

        DescribeGroupsResponseData v5 = coordinator.describeGroups(List.of("missing"), (short) 5);
        TestConsumer.assertSerializable(v5, (short) 5);
        assertEquals(Errors.NONE.code(), v5.groups().get(0).errorCode(), "before v6 an unknown group is Dead");
        assertEquals("Dead", v5.groups().get(0).groupState());
    }

    /**
     * kafka-consumer-groups --reset-offsets and REST's offset reset may name a group that never ran: it then
     * exists, Empty with those offsets, for every way of looking at it, also after the broker joins a cluster.
     */
    @Test
    void aGroupCreatedByAnOffsetResetIsAnEmptyGroupEverywhere() {
        coordinator.follow(new FakeMembership(1, 1));
        coordinator.resetOffsets("never-ran", Map.of(T0, 7L));

        GroupView view = coordinator.group("never-ran").orElseThrow();
        assertEquals(GroupState.EMPTY, view.state());
        assertEquals(7, view.offsets().get(T0).offset());
        assertEquals(List.of(new GroupSummary("never-ran", GroupType.CLASSIC, GroupState.EMPTY, Optional.empty(), 0)),
                coordinator.groups());
        DescribedGroup described = coordinator.describeGroups(List.of("never-ran")).groups().get(0);
        assertEquals(Errors.NONE.code(), described.errorCode());
        assertEquals("Empty", described.groupState());
        assertEquals(7, coordinator.fetchOffsets(OffsetProtocolTest.fetchV8("never-ran", "t", 0), (short) 8)
                .groups().get(0).topics().get(0).partitions().get(0).committedOffset());
        assertEquals(7, store.stored("never-ran").get(T0).offset(), "and durable");
    }

    @Test
    void listFiltersByState() {
        stableGroup("orders", 1);
        TestConsumer.commit(coordinator, "idle", -1, "", null, Map.of(T0, 1L), (short) 9);
        assertEquals(List.of("idle", "orders"), coordinator.groups().stream().map(GroupSummary::groupId).toList());
        assertEquals(new GroupSummary("orders", GroupType.CLASSIC, GroupState.STABLE, Optional.of("consumer"), 1),
                coordinator.groups().get(1));

        ListGroupsResponseData empty = coordinator.listGroups(new ListGroupsRequestData()
                .setStatesFilter(List.of("empty")));
        TestConsumer.assertSerializable(empty, (short) 5);
        assertEquals(List.of("idle"), empty.groups().stream().map(ListGroupsResponseData.ListedGroup::groupId)
                .toList());
        ListGroupsResponseData all = coordinator.listGroups(new ListGroupsRequestData());
        TestConsumer.assertSerializable(all, (short) 0);
        assertEquals(2, all.groups().size());
        assertEquals(0, coordinator.listGroups(new ListGroupsRequestData().setTypesFilter(List.of("consumer")))
                .groups().size(), "only classic groups here");
    }

    @Test
    void onlyAGroupWithoutMembersCanBeDeleted() {
        List<TestConsumer> consumers = stableGroup("orders", 1);
        consumers.get(0).commit(Map.of(T0, 9L));

        DeleteGroupsResponseData refused = coordinator.deleteGroups(List.of("orders", "missing", ""));
        TestConsumer.assertSerializable(refused, (short) 0);
        assertEquals(Errors.NON_EMPTY_GROUP.code(), refused.results().find("orders").errorCode());
        assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), refused.results().find("missing").errorCode());
        assertEquals(Errors.INVALID_GROUP_ID.code(), refused.results().find("").errorCode());

        consumers.get(0).leave();
        assertEquals(Errors.NONE.code(),
                coordinator.deleteGroups(List.of("orders")).results().find("orders").errorCode());
        assertEquals(GroupState.DEAD, state("orders"));
        assertEquals(Map.of(), store.stored("orders"), "its offsets are gone from the store");
        assertEquals(-1, coordinator.fetchOffsets(OffsetProtocolTest.fetchV8("orders", "t", 0), (short) 8)
                .groups().get(0).topics().get(0).partitions().get(0).committedOffset());
    }
}
