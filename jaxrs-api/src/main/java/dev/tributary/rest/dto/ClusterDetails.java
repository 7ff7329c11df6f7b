package dev.tributary.rest.dto;

import dev.tributary.broker.cluster.ClusterStatus;
import java.util.List;

/**
 * {@code GET /cluster}: every registered broker (alive or not) and the partitions by health. Leaders and in-sync
 * replicas per partition come with replication; until then {@code GET /topics/{name}} has them per topic.
 *
 * @param controllerId the live broker acting as controller (the data grid's oldest broker); absent if none is
 */
public record ClusterDetails(String clusterId, Integer controllerId, List<BrokerDto> brokers,
                             PartitionCountsDto partitions) {

    public static ClusterDetails of(ClusterStatus status) {
        return new ClusterDetails(status.clusterId(), status.controllerId().orElse(null),
                status.brokers().stream().map(BrokerDto::of).toList(), PartitionCountsDto.of(status.partitions()));
    }
}
