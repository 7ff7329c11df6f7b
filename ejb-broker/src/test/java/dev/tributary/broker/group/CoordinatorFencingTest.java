package dev.tributary.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.broker.cluster.ClusterStanding;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * A coordinator that is no longer a group's refuses it even while its view of the cluster is stale: when its own
 * session in the metadata database is not current, and once a write finds the group's claim taken by another broker.
 */
class CoordinatorFencingTest extends GroupTestSupport {

    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private final AtomicBoolean sessionActive = new AtomicBoolean(true);
    private final ClusterStanding standing = new ClusterStanding() {
        @Override
        public boolean sessionActive() {
            return sessionActive.get();
        }

        @Override
        public boolean seesMajority() {
            return sessionActive.get();
        }

        @Override
        public boolean isLive(int brokerId) {
            return true;
        }
    };

    @Test
    void aCoordinatorWithoutACurrentSessionRefusesEveryGroupRequest() {
        coordinator.follow(new FakeMembership(1, 1), standing);
        List<TestConsumer> members = stableGroup("orders", 1);
        TestConsumer member = members.get(0);

        sessionActive.set(false);
        assertEquals(Errors.NOT_COORDINATOR, member.heartbeat());
        assertEquals(Map.of(T0, Errors.NOT_COORDINATOR), member.commit(Map.of(T0, 3L)));
        TestConsumer newcomer = consumer("orders", "late");
        newcomer.join();
        assertEquals(Errors.NOT_COORDINATOR.code(), newcomer.joined().errorCode());

        sessionActive.set(true);
        assertEquals(Errors.NONE, member.heartbeat(), "a renewed session serves the group again");
    }

    @Test
    void aCommitThatFindsTheGroupTakenOverUnloadsItAndEveryLaterRequestIsRefused() {
        coordinator.follow(new FakeMembership(1, 1), standing);
        TestConsumer member = stableGroup("orders", 1).get(0);
        assertEquals(Map.of(T0, Errors.NONE), member.commit(Map.of(T0, 3L)));

        store.takenOver("orders"); // another broker, whose view differs, coordinates it now
        assertEquals(Map.of(T0, Errors.NOT_COORDINATOR), member.commit(Map.of(T0, 4L)));
        assertEquals(Errors.NOT_COORDINATOR, member.heartbeat(), "unloaded, though its view still places it here");
        assertEquals(3, store.stored("orders").get(T0).offset(), "nothing of the refused commit stored");
    }
}
