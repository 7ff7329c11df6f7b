package dev.tributary.broker.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.junit.jupiter.api.Test;

class ReplicaPlacementTest {

    @Test
    void replicasAreDistinctAndLeadersAndReplicasSpreadEvenly() {
        List<List<Integer>> assignment = ReplicaPlacement.assign("orders", 0, 6, 3, List.of(7, 3, 5));
        Map<Integer, Integer> leaders = new HashMap<>();
        Map<Integer, Integer> replicas = new HashMap<>();
        for (List<Integer> partition : assignment) {
            assertEquals(3, new HashSet<>(partition).size(), "distinct brokers: " + partition);
            leaders.merge(partition.get(0), 1, Integer::sum);
            partition.forEach(broker -> replicas.merge(broker, 1, Integer::sum));
        }
        assertEquals(Map.of(3, 2, 5, 2, 7, 2), leaders);
        assertEquals(Map.of(3, 6, 5, 6, 7, 6), replicas);
    }

    @Test
    void addedPartitionsContinueTheRotation() {
        List<Integer> brokers = List.of(0, 1, 2, 3);
        List<List<Integer>> whole = ReplicaPlacement.assign("t", 0, 8, 2, brokers);
        assertEquals(whole.subList(5, 8), ReplicaPlacement.assign("t", 5, 8, 2, brokers));
    }

    @Test
    void aReplicationFactorAboveTheLiveBrokersIsRefused() {
        InvalidReplicationFactorException e = assertThrows(InvalidReplicationFactorException.class,
                () -> ReplicaPlacement.assign("t", 0, 1, 3, List.of(1, 2)));
        assertEquals("Replication factor 3 is larger than the 2 live broker(s) [1, 2]", e.getMessage());
    }
}
