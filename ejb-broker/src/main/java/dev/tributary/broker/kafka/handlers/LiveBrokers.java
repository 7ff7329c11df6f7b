package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.cluster.BrokerInfo;
import dev.tributary.broker.cluster.ClusterView;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The brokers clients are told about (Metadata, DescribeCluster): the live ones, at the Kafka addresses they
 * announced, with this broker always among them at its advertised address (also before it joined the cluster).
 */
public final class LiveBrokers {

    private static final Logger LOG = Logger.getLogger(LiveBrokers.class.getName());

    /** A broker as clients connect to it. */
    record Node(int id, String host, int port) {
    }

    private final BrokerEndpoint self;
    private final Supplier<ClusterView> view;

    public LiveBrokers(BrokerEndpoint self, Supplier<ClusterView> view) {
        this.self = self;
        this.view = view;
    }

    List<Node> nodes() {
        List<Node> nodes = new ArrayList<>();
        nodes.add(new Node(self.brokerId(), self.host(), self.port()));
        for (BrokerInfo broker : view.get().brokers()) {
            if (broker.id() == self.brokerId() || broker.kafkaAddress().isEmpty())
                continue;
            int colon = broker.kafkaAddress().lastIndexOf(':');
            try {
                nodes.add(new Node(broker.id(), broker.kafkaAddress().substring(0, colon),
                        Integer.parseInt(broker.kafkaAddress().substring(colon + 1))));
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Broker " + broker.id() + " announced no usable Kafka address", e);
            }
        }
        return nodes;
    }

    /** The controller's id; this broker's while it has not joined a cluster. */
    int controllerId() {
        return view.get().controller().map(BrokerInfo::id).orElse(self.brokerId());
    }
}
