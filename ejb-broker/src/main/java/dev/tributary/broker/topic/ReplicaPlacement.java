package dev.tributary.broker.topic;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;

/**
 * Where a new partition's replicas go (Kafka's rack-unaware assignment, without its random shift): the live
 * brokers in id order, partition {@code p}'s replicas the {@code rf} brokers from position {@code start + p} on.
 * Consecutive partitions start on consecutive brokers, so preferred leaders (first replicas) are spread evenly
 * and every broker holds about {@code partitions * rf / brokers} replicas. {@code start} comes from the topic
 * name so that many one-partition topics do not all lead on the lowest id.
 */
public final class ReplicaPlacement {

    private ReplicaPlacement() {
    }

    /**
     * Replicas for partitions {@code from} (inclusive) to {@code to} (exclusive) of {@code topic}.
     *
     * @throws InvalidReplicationFactorException if {@code rf} exceeds the live brokers
     */
    public static List<List<Integer>> assign(String topic, int from, int to, int rf, List<Integer> liveBrokers) {
        checkReplicationFactor(rf, liveBrokers);
        List<Integer> brokers = liveBrokers.stream().sorted().toList();
        int start = Math.floorMod(topic.hashCode(), brokers.size());
        List<List<Integer>> result = new ArrayList<>(to - from);
        for (int p = from; p < to; p++) {
            List<Integer> replicas = new ArrayList<>(rf);
            for (int r = 0; r < rf; r++)
                replicas.add(brokers.get((start + p + r) % brokers.size()));
            result.add(replicas);
        }
        return result;
    }

    public static void checkReplicationFactor(int rf, List<Integer> liveBrokers) {
        if (rf > liveBrokers.size())
            throw new InvalidReplicationFactorException("Replication factor " + rf + " is larger than the "
                    + liveBrokers.size() + " live broker(s) " + liveBrokers.stream().sorted().toList());
    }
}
