package dev.tributary.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class OffsetProtocolTest extends GroupTestSupport {

    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final TopicPartition T1 = new TopicPartition("t", 1);
    private static final short V8 = 8;

    static OffsetFetchRequestData fetchV7(String group, String topic, Integer... partitions) {
        return new OffsetFetchRequestData().setGroupId(group).setTopics(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestTopic().setName(topic).setPartitionIndexes(
                        List.of(partitions))));
    }

    static OffsetFetchRequestData fetchV8(String group, String topic, Integer... partitions) {
        return new OffsetFetchRequestData().setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup()
                .setGroupId(group).setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics()
                        .setName(topic).setPartitionIndexes(List.of(partitions))))));
    }

    @Test
    void membersOfAStableGroupCommitAndFetch() {
        TestConsumer member = stableGroup("orders", 1).get(0);
        assertEquals(Map.of(T0, Errors.NONE, T1, Errors.NONE), member.commit(Map.of(T0, 42L, T1, 7L)));

        OffsetFetchResponseData v7 = coordinator.fetchOffsets(fetchV7("orders", "t", 0, 1, 2), (short) 7);
        TestConsumer.assertSerializable(v7, (short) 7);
        assertEquals(Errors.NONE.code(), v7.errorCode());
        List<OffsetFetchResponseData.OffsetFetchResponsePartition> partitions = v7.topics().get(0).partitions();
        assertEquals(42, partitions.get(0).committedOffset());
        assertEquals("m42", partitions.get(0).metadata());
        assertEquals(3, partitions.get(0).committedLeaderEpoch());
        assertEquals(7, partitions.get(1).committedOffset());
        assertEquals(-1, partitions.get(2).committedOffset(), "nothing committed");

        OffsetFetchResponseData v8 = coordinator.fetchOffsets(fetchV8("orders", "t", 0), V8);
        TestConsumer.assertSerializable(v8, V8);
        assertEquals("orders", v8.groups().get(0).groupId());
        assertEquals(42, v8.groups().get(0).topics().get(0).partitions().get(0).committedOffset());

        OffsetFetchResponseData all = coordinator.fetchOffsets(new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("orders").setTopics(null))), V8);
        assertEquals(2, all.groups().get(0).topics().get(0).partitions().size(), "null topics: all of them");

        CommittedOffset stored = store.stored("orders").get(T0);
        assertEquals(42, stored.offset());
        assertEquals(OptionalInt.of(3), stored.leaderEpoch());
        assertEquals(scheduler.nowMs(), stored.committedAt().toEpochMilli());
        assertEquals(stored, view("orders").offsets().get(T0));
    }

    @Test
    void simpleCommitsAreAcceptedForEmptyGroupsOnly() {
        assertEquals(Map.of(T0, Errors.NONE),
                TestConsumer.commit(coordinator, "assigners", -1, "", null, Map.of(T0, 5L), (short) 9));
        assertEquals(GroupState.EMPTY, state("assigners"), "a group that exists through its offsets");
        assertEquals(5, view("assigners").offsets().get(T0).offset());

        stableGroup("orders", 1);
        assertEquals(Map.of(T0, Errors.UNKNOWN_MEMBER_ID),
                TestConsumer.commit(coordinator, "orders", -1, "", null, Map.of(T0, 5L), (short) 9));
        assertEquals(Map.of(), store.stored("orders"));
    }

    @Test
    void aMemberCommitToAGroupUnknownHereIsToldToRejoinWhateverItsVersion() {
        // as after its coordinator moved: the member must rejoin, not fail (GROUP_ID_NOT_FOUND is fatal to it)
        assertEquals(Map.of(T0, Errors.ILLEGAL_GENERATION),
                TestConsumer.commit(coordinator, "gone", 3, "m-1", null, Map.of(T0, 5L), (short) 9));
        assertEquals(Map.of(T0, Errors.ILLEGAL_GENERATION),
                TestConsumer.commit(coordinator, "gone", 3, "m-1", null, Map.of(T0, 5L), (short) 8));
        assertEquals(GroupState.DEAD, state("gone"));
    }

    @Test
    void aCommitBeforeTheSyncIsToldToFinishTheRebalance() {
        TestConsumer member = consumer("orders", "client-1");
        member.join();
        scheduler.runDue();
        assertEquals(Map.of(T0, Errors.REBALANCE_IN_PROGRESS), member.commit(Map.of(T0, 1L)));
    }

    @Test
    void oversizedMetadataIsRefusedPerPartition() {
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId("g").setTopics(List.of(
                new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("t").setPartitions(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0)
                                .setCommittedOffset(1).setCommittedMetadata("x".repeat(4097)),
                        new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(1)
                                .setCommittedOffset(2).setCommittedMetadata(null)))));
        var partitions = coordinator.commitOffsets(request, (short) 9).topics().get(0).partitions();
        assertEquals(Errors.OFFSET_METADATA_TOO_LARGE.code(), partitions.get(0).errorCode());
        assertEquals(Errors.NONE.code(), partitions.get(1).errorCode());
        assertEquals("", store.stored("g").get(T1).metadata());
    }

    @Test
    void aStoreFailureIsRetriableAndChangesNothing() {
        TestConsumer.commit(coordinator, "g", -1, "", null, Map.of(T0, 1L), (short) 9);
        store.failing(true);
        assertEquals(Map.of(T0, Errors.COORDINATOR_NOT_AVAILABLE),
                TestConsumer.commit(coordinator, "g", -1, "", null, Map.of(T0, 2L), (short) 9));
        store.failing(false);
        assertEquals(1, view("g").offsets().get(T0).offset(), "the cache was not updated either");
    }

    @Test
    void resetOffsetsIsRefusedWhileTheGroupHasMembers() {
        List<TestConsumer> consumers = stableGroup("orders", 1);
        GroupNotEmptyException refused = assertThrows(GroupNotEmptyException.class,
                () -> coordinator.resetOffsets("orders", Map.of(T0, 0L)));
        assertEquals(Errors.NON_EMPTY_GROUP, Errors.forException(refused));
        assertTrue(refused.getMessage().contains("Stable"), refused.getMessage());

        consumers.get(0).leave();
        coordinator.resetOffsets("orders", Map.of(T0, 0L, T1, 10L));
        assertEquals(10, store.stored("orders").get(T1).offset());
        assertEquals(0, view("orders").offsets().get(T0).offset());
        coordinator.resetOffsets("fresh", Map.of(T0, 3L));
        assertEquals(GroupState.EMPTY, state("fresh"));
    }

    @Test
    void offsetsOfTopicsTheGroupDoesNotConsumeCanBeDeletedWhileItRuns() {
        TestConsumer.commit(coordinator, "g", -1, "", null, Map.of(T0, 1L, new TopicPartition("other", 0), 2L),
                (short) 9);
        TestConsumer member = consumer("g", "client-1");
        member.protocols = new java.util.LinkedHashMap<>(Map.of("range", subscription("t")));
        member.join();
        completeRebalance(List.of(member));

        OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection topics =
                new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection();
        topics.add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("t").setPartitions(List.of(
                new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0))));
        topics.add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("other").setPartitions(List.of(
                new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0))));
        OffsetDeleteResponseData response = coordinator.deleteOffsets(new OffsetDeleteRequestData().setGroupId("g")
                .setTopics(topics));
        assertEquals(Errors.GROUP_SUBSCRIBED_TO_TOPIC.code(),
                response.topics().find("t").partitions().find(0).errorCode());
        assertEquals(Errors.NONE.code(), response.topics().find("other").partitions().find(0).errorCode());
        assertEquals(java.util.Set.of(T0), store.stored("g").keySet(), "other-0 deleted, t-0 kept");
        assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), coordinator.deleteOffsets(
                new OffsetDeleteRequestData().setGroupId("nope")).errorCode());
    }

    /** A Kafka consumer's subscription metadata (ConsumerProtocolSubscription v0, version-prefixed). */
    static byte[] subscription(String... topics) {
        return org.apache.kafka.common.protocol.MessageUtil.toVersionPrefixedBytes((short) 0,
                new org.apache.kafka.common.message.ConsumerProtocolSubscription().setTopics(List.of(topics)));
    }

    @Test
    void invalidGroupIdsAreRefused() {
        assertEquals(Map.of(T0, Errors.INVALID_GROUP_ID),
                TestConsumer.commit(coordinator, "", -1, "", null, Map.of(T0, 1L), (short) 9));
        assertEquals(Errors.INVALID_GROUP_ID.code(),
                coordinator.fetchOffsets(fetchV8("", "t", 0), V8).groups().get(0).errorCode());
        assertEquals(Errors.INVALID_GROUP_ID.code(),
                coordinator.fetchOffsets(fetchV7("", "t", 0), (short) 7).errorCode());
        assertEquals(Errors.INVALID_GROUP_ID.code(),
                coordinator.fetchOffsets(fetchV7("", "t", 0), (short) 1).topics().get(0).partitions().get(0)
                        .errorCode(), "v0-1 carry it per partition");
    }
}
