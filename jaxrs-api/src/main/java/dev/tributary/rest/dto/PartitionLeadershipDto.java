package dev.tributary.rest.dto;

import dev.tributary.broker.topic.PartitionLeadership;
import java.util.List;

/**
 * One partition's replicas (preferred leader first), leader and in-sync replicas.
 *
 * @param leader      the leading broker's id; absent while no in-sync replica is alive
 * @param leaderEpoch grows with every change of leader
 */
public record PartitionLeadershipDto(String topic, int partition, List<Integer> replicas, Integer leader,
                                     int leaderEpoch, List<Integer> isr) {

    static PartitionLeadershipDto of(PartitionLeadership leadership) {
        return new PartitionLeadershipDto(leadership.topic(), leadership.partition(), leadership.replicas(),
                leadership.hasLeader() ? leadership.leader() : null, leadership.leaderEpoch(), leadership.isr());
    }
}
