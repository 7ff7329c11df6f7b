package dev.tributary.broker.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.broker.topic.PartitionLeadership;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a corrupt replica leaves the ISR ({@link ReplicaManager#withoutReplica}), for replicas 1, 2, 3. */
class CorruptReplicaHandoverTest {

    private static final PartitionLeadership ALL_IN_SYNC = PartitionLeadership.initial("t", 0, List.of(1, 2, 3));

    @Test
    void aCorruptFollowerLeavesTheIsrUnderTheSameLeaderAndEpoch() {
        PartitionLeadership next = ReplicaManager.withoutReplica(ALL_IN_SYNC, 2).orElseThrow();
        assertEquals(1, next.leader());
        assertEquals(ALL_IN_SYNC.leaderEpoch(), next.leaderEpoch());
        assertEquals(List.of(1, 3), next.isr());
        assertEquals(ALL_IN_SYNC.partitionEpoch() + 1, next.partitionEpoch(), "a compare-and-set like any ISR change");
    }

    @Test
    void aCorruptLeaderHandsLeadershipToTheNextInSyncReplicaInReplicaOrderAtANewEpoch() {
        PartitionLeadership joinedLast = ALL_IN_SYNC.withIsr(List.of(3, 2, 1));
        PartitionLeadership next = ReplicaManager.withoutReplica(joinedLast, 1).orElseThrow();
        assertEquals(2, next.leader(), "replica order, as the controller elects, not the order they joined the ISR");
        assertEquals(ALL_IN_SYNC.leaderEpoch() + 1, next.leaderEpoch());
        assertEquals(List.of(3, 2), next.isr());
    }

    @Test
    void theOnlyInSyncReplicaHasNoOneToHandOverTo() {
        assertEquals(Optional.empty(), ReplicaManager.withoutReplica(ALL_IN_SYNC.withIsr(List.of(1)), 1));
        assertEquals(Optional.empty(),
                ReplicaManager.withoutReplica(PartitionLeadership.initial("alone", 0, List.of(0)), 0));
    }
}
