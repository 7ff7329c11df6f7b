package dev.tributary.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;

/** A coordinator on a manual scheduler and an in-memory store, and a way to get a group to Stable. */
abstract class GroupTestSupport {

    static final GroupCoordinatorConfig CONFIG = GroupCoordinatorConfig.defaults().withInitialRebalanceDelayMs(0);

    final ManualScheduler scheduler = new ManualScheduler(1_700_000_000_000L);
    final InMemoryOffsetStore store = new InMemoryOffsetStore();
    final InMemoryConsumerGroupStore consumerGroupStore = new InMemoryConsumerGroupStore();
    final FakeTopics topics = new FakeTopics();
    GroupCoordinator coordinator = open(CONFIG);

    /** A coordinator on this test's stores, topics and scheduler. */
    GroupCoordinator open(GroupCoordinatorConfig config) {
        return GroupCoordinator.open(store, consumerGroupStore, topics, config, scheduler, scheduler.clock());
    }

    @AfterEach
    void closeCoordinator() {
        coordinator.close();
    }

    TestConsumer consumer(String group, String clientId) {
        return new TestConsumer(coordinator, group, clientId);
    }

    List<TestConsumer> consumers(String group, int count) {
        List<TestConsumer> consumers = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            consumers.add(consumer(group, "client-" + i));
        }
        return consumers;
    }

    /** The assignment a test leader gives a member: its position in the leader's member list. */
    static byte[] assignmentFor(int index) {
        return new byte[] {(byte) 'A', (byte) index};
    }

    /**
     * Runs a join phase and a sync for consumers that have all sent their JoinGroup: the leader assigns
     * {@link #assignmentFor} each member in the order of its member list.
     *
     * @return each member's assignment, by member id
     */
    Map<String, byte[]> completeRebalance(List<TestConsumer> consumers) {
        scheduler.runDue();
        TestConsumer leader = null;
        for (TestConsumer c : consumers) {
            assertEquals(Errors.NONE.code(), c.joined().errorCode(), c.clientId + " joined");
            if (c.joined().leader().equals(c.memberId)) {
                leader = c;
            }
        }
        assertTrue(leader != null, "one of them leads");
        Map<String, byte[]> assignments = new LinkedHashMap<>();
        List<String> memberIds = leader.joined().members().stream().map(m -> m.memberId()).toList();
        for (int i = 0; i < memberIds.size(); i++) {
            assignments.put(memberIds.get(i), assignmentFor(i));
        }
        for (TestConsumer c : consumers) {
            if (c != leader) {
                c.sync();
            }
        }
        leader.sync(assignments);
        for (TestConsumer c : consumers) {
            assertEquals(Errors.NONE.code(), c.synced().errorCode(), c.clientId + " synced");
        }
        return assignments;
    }

    /** Consumers joined together and synced: a Stable group at their generation. */
    List<TestConsumer> stableGroup(String group, int size) {
        List<TestConsumer> consumers = consumers(group, size);
        consumers.forEach(TestConsumer::join);
        completeRebalance(consumers);
        assertEquals(GroupState.STABLE, state(group));
        return consumers;
    }

    GroupState state(String group) {
        return coordinator.group(group).map(GroupView::state).orElse(GroupState.DEAD);
    }

    GroupView view(String group) {
        return coordinator.group(group).orElseThrow();
    }
}
