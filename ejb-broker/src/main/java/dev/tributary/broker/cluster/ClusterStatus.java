package dev.tributary.broker.cluster;

import dev.tributary.broker.topic.PartitionLeadership;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The cluster as one broker sees it: every registered broker with whether it is alive and which one is the
 * controller, the partitions by health, and each partition's leader and in-sync replicas.
 */
public record ClusterStatus(String clusterId, Optional<Integer> controllerId, List<BrokerStatus> brokers,
                           PartitionCounts partitions, List<PartitionLeadership> leadership) {

    public ClusterStatus {
        brokers = List.copyOf(brokers);
        leadership = List.copyOf(leadership);
    }

    /**
     * Registered brokers that are not in {@code live} are listed as down, with the addresses they announced last;
     * live ones with the addresses they announce now. Ordered by id.
     *
     * @param controllerId the holder of the controller lease, if any holds it
     */
    public static ClusterStatus of(String clusterId, List<RegisteredBroker> registered, ClusterView live,
                                   Optional<Integer> controllerId, PartitionCounts partitions,
                                   List<PartitionLeadership> leadership) {
        Map<Integer, BrokerStatus> byId = new TreeMap<>();
        for (RegisteredBroker broker : registered) {
            byId.put(broker.id(), new BrokerStatus(broker.id(), broker.kafkaAddress(), broker.httpUrl(), false,
                    controllerId.equals(Optional.of(broker.id()))));
        }
        for (BrokerInfo broker : live.brokers()) {
            // A broker with its Kafka listener disabled announces no address.
            Optional<String> kafka = Optional.of(broker.kafkaAddress()).filter(address -> !address.isEmpty());
            byId.put(broker.id(), new BrokerStatus(broker.id(), kafka, broker.httpUrl(), true,
                    controllerId.equals(Optional.of(broker.id()))));
        }
        return new ClusterStatus(clusterId, controllerId, new ArrayList<>(byId.values()),
                partitions, leadership);
    }
}
