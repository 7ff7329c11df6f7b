package dev.tributary.broker.cluster;

import java.util.List;
import java.util.Optional;

/**
 * The live brokers at one moment, oldest data-grid member first (Hazelcast's member list is ordered by join time
 * and the same on every member). {@link #controller()} is that oldest broker, which Kafka clients are told is the
 * controller; the broker that acts as controller is whichever holds the controller lease in the metadata database
 * ({@code dev.tributary.broker.replication.Controller}), and it need not be the oldest.
 */
public record ClusterView(List<BrokerInfo> brokers) {

    public ClusterView {
        brokers = List.copyOf(brokers);
    }

    public Optional<BrokerInfo> controller() {
        return brokers.stream().findFirst();
    }

    public boolean isController(int brokerId) {
        return controller().map(controller -> controller.id() == brokerId).orElse(false);
    }

    public Optional<BrokerInfo> broker(int brokerId) {
        return brokers.stream().filter(broker -> broker.id() == brokerId).findFirst();
    }
}
