package dev.tributary.broker.topic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * Where one partition's replicas are and which of them leads, as stored in the shared metadata database (Kafka's
 * PartitionRegistration). Immutable; every change is a new value with a higher {@code partitionEpoch}, written by
 * compare-and-set ({@link LeadershipStore#compareAndSet}).
 *
 * @param replicas       broker ids holding a replica, the preferred leader first
 * @param leader         the leading broker, or {@link #NO_LEADER} while no in-sync replica is alive
 * @param leaderEpoch    grows with every change of leader; replication traffic carries it, so an old leader is
 *                       fenced once a new one is chosen
 * @param isr            the in-sync replicas, leader included: the ones every acknowledged {@code acks=all}
 *                       write has reached
 * @param partitionEpoch grows with every change of leader or ISR
 */
public record PartitionLeadership(String topic, int partition, List<Integer> replicas, int leader, int leaderEpoch,
                                  List<Integer> isr, int partitionEpoch) {

    public static final int NO_LEADER = -1;

    public PartitionLeadership {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }

    /** A new partition led by its preferred replica, with every replica in sync (they are all empty). */
    public static PartitionLeadership initial(String topic, int partition, List<Integer> replicas) {
        return new PartitionLeadership(topic, partition, replicas, replicas.get(0), 0, replicas, 0);
    }

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    public int preferredLeader() {
        return replicas.get(0);
    }

    public boolean hasLeader() {
        return leader != NO_LEADER;
    }

    /** {@code leader} (possibly {@link #NO_LEADER}) at the next leader epoch, with {@code isr}. */
    public PartitionLeadership withLeader(int newLeader, List<Integer> newIsr) {
        return new PartitionLeadership(topic, partition, replicas, newLeader, leaderEpoch + 1, newIsr,
                partitionEpoch + 1);
    }

    /** The same leader and epoch with another in-sync set. */
    public PartitionLeadership withIsr(List<Integer> newIsr) {
        return new PartitionLeadership(topic, partition, replicas, leader, leaderEpoch, newIsr, partitionEpoch + 1);
    }

    /** The replicas in {@code brokers}, in replica order. */
    public List<Integer> replicasIn(Collection<Integer> brokers) {
        List<Integer> result = new ArrayList<>();
        for (int replica : replicas) {
            if (brokers.contains(replica))
                result.add(replica);
        }
        return result;
    }

    /** The in-sync replicas in {@code brokers}, in ISR order. */
    public List<Integer> isrIn(Collection<Integer> brokers) {
        return isr.stream().filter(brokers::contains).toList();
    }
}
