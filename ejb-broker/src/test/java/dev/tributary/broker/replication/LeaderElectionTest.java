package dev.tributary.broker.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.topic.PartitionLeadership;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The controller's choices ({@link Controller#decide}) for one partition with replicas 1, 2, 3. */
class LeaderElectionTest {

    private static final PartitionLeadership ALL_IN_SYNC = PartitionLeadership.initial("t", 0, List.of(1, 2, 3));

    @Test
    void allAliveChangesNothing() {
        assertEquals(Optional.empty(), Controller.decide(ALL_IN_SYNC, Set.of(1, 2, 3), false));
    }

    @Test
    void aDeadFollowerLeavesTheIsrAtTheSameLeaderEpoch() {
        PartitionLeadership next = Controller.decide(ALL_IN_SYNC, Set.of(1, 2), false).orElseThrow();
        assertEquals(1, next.leader());
        assertEquals(0, next.leaderEpoch());
        assertEquals(List.of(1, 2), next.isr());
        assertEquals(ALL_IN_SYNC.partitionEpoch() + 1, next.partitionEpoch());
    }

    @Test
    void aDeadLeaderIsReplacedByTheNextInSyncReplicaAtANewEpoch() {
        PartitionLeadership next = Controller.decide(ALL_IN_SYNC, Set.of(2, 3), false).orElseThrow();
        assertEquals(2, next.leader());
        assertEquals(1, next.leaderEpoch());
        assertEquals(List.of(2, 3), next.isr());
    }

    @Test
    void aLiveReplicaOutOfSyncNeverLeadsUnlessUncleanElectionIsOn() {
        PartitionLeadership onlyLeaderInSync = ALL_IN_SYNC.withIsr(List.of(1));
        PartitionLeadership leaderless = Controller.decide(onlyLeaderInSync, Set.of(2, 3), false).orElseThrow();
        assertEquals(PartitionLeadership.NO_LEADER, leaderless.leader());
        assertEquals(List.of(1), leaderless.isr(), "the last in-sync replica stays eligible for when it returns");
        assertEquals(Optional.empty(), Controller.decide(leaderless, Set.of(2, 3), false), "nothing more to do");

        PartitionLeadership back = Controller.decide(leaderless, Set.of(1, 2, 3), false).orElseThrow();
        assertEquals(1, back.leader());
        assertTrue(back.leaderEpoch() > leaderless.leaderEpoch());

        PartitionLeadership unclean = Controller.decide(onlyLeaderInSync, Set.of(2, 3), true).orElseThrow();
        assertEquals(2, unclean.leader());
        assertEquals(List.of(2), unclean.isr());
    }
}
