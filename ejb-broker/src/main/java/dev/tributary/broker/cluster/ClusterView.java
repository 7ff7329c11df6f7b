package dev.tributary.broker.cluster;

import java.util.List;
import java.util.Optional;

/**
 * The live brokers at one moment, oldest data-grid member first. The oldest is the controller: the data grid
 * already agrees on member age (Hazelcast's member list is ordered by join time and the same on every member), so
 * every broker picks the same controller without an election of its own, and when it dies the next oldest takes
 * over.
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
