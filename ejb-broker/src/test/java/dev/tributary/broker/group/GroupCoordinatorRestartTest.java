package dev.tributary.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.broker.metadata.MetadataDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Committed offsets through the real JPA store on the embedded database, across coordinator restarts. */
class GroupCoordinatorRestartTest extends GroupTestSupport {

    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final TopicPartition T1 = new TopicPartition("t", 1);

    @TempDir
    Path dataDir;

    private MetadataDatabase database() {
        return MetadataDatabase.open(dataDir, Optional.empty(), Optional.empty(), Optional.empty());
    }

    private void restartOn(MetadataDatabase db) {
        coordinator.close();
        coordinator = GroupCoordinator.open(db.offsetStore(), db.consumerGroupStore(scheduler.clock()), topics, CONFIG,
                scheduler, scheduler.clock());
    }

    @Test
    void committedOffsetsSurviveARestartAndTheirGroupsComeBackEmpty() {
        TestConsumer member;
        try (MetadataDatabase db = database()) {
            restartOn(db);
            member = stableGroup("orders", 1).get(0);
            assertEquals(Map.of(T0, Errors.NONE, T1, Errors.NONE), member.commit(Map.of(T0, 42L, T1, 7L)));
            assertEquals(Map.of(T0, Errors.NONE), member.commit(Map.of(T0, 43L)), "a later commit replaces");
            TestConsumer.commit(coordinator, "assigners", -1, "", null, Map.of(T1, 5L), (short) 9);
            coordinator.close();
        }

        try (MetadataDatabase db = database()) {
            restartOn(db);
            assertEquals(List.of(
                    new GroupSummary("assigners", GroupType.CLASSIC, GroupState.EMPTY, Optional.empty(), 0),
                    new GroupSummary("orders", GroupType.CLASSIC, GroupState.EMPTY, Optional.empty(), 0)),
                    coordinator.groups());
            OffsetFetchResponseData fetched = coordinator.fetchOffsets(
                    OffsetProtocolTest.fetchV8("orders", "t", 0, 1), (short) 8);
            var partitions = fetched.groups().get(0).topics().get(0).partitions();
            assertEquals(43, partitions.get(0).committedOffset());
            assertEquals("m43", partitions.get(0).metadata());
            assertEquals(3, partitions.get(0).committedLeaderEpoch());
            assertEquals(7, partitions.get(1).committedOffset());
            CommittedOffset t0 = view("orders").offsets().get(T0);
            assertEquals(OptionalInt.of(3), t0.leaderEpoch());
            assertEquals(scheduler.nowMs(), t0.committedAt().toEpochMilli());

            // Membership is not durable: the member is told to rejoin, and does.
            TestConsumer again = new TestConsumer(coordinator, "orders", member.clientId);
            again.memberId = member.memberId;
            again.generation = member.generation;
            assertEquals(Errors.UNKNOWN_MEMBER_ID, again.heartbeat());
            again.memberId = "";
            again.join();
            completeRebalance(List.of(again));
            assertEquals(Map.of(T0, Errors.NONE), again.commit(Map.of(T0, 50L)));

            again.leave();
            assertEquals(Errors.NONE.code(),
                    coordinator.deleteGroups(List.of("orders")).results().find("orders").errorCode());
            coordinator.close();
        }

        try (MetadataDatabase db = database()) {
            restartOn(db);
            assertEquals(List.of("assigners"), coordinator.groups().stream().map(GroupSummary::groupId).toList(),
                    "the deleted group's offsets are gone from the database");
        }
    }
}
