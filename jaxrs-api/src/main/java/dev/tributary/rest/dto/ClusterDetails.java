package dev.tributary.rest.dto;

import dev.tributary.broker.cluster.ClusterStatus;
import java.util.List;

/**
 * {@code GET /cluster}: every registered broker (alive or not), the partitions by health, and each partition's
 * replicas, leader and in-sync replicas.
 *
 * @param controllerId the live broker acting as controller (the data grid's oldest broker); absent if none is
 */
public record ClusterDetails(String clusterId, Integer controllerId, List<BrokerDto> brokers,
                             PartitionCountsDto partitions, List<PartitionLeadershipDto> leadership) {

    public static ClusterDetails of(ClusterStatus status) {
        return new ClusterDetails(status.clusterId(), status.controllerId().orElse(null),
                status.brokers().stream().map(BrokerDto::of).toList(), PartitionCountsDto.of(status.partitions()),
                status.leadership().stream().map(PartitionLeadershipDto::of).toList());
    }
}
