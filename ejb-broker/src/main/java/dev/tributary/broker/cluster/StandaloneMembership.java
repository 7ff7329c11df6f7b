package dev.tributary.broker.cluster;

import java.util.List;
import java.util.function.Consumer;

/** A broker without a data grid (Payara Micro with {@code --nohazelcast}): alone, and its own controller. */
public final class StandaloneMembership implements ClusterMembership {

    private final BrokerInfo self;

    public StandaloneMembership(BrokerInfo self) {
        this.self = self;
    }

    @Override
    public BrokerInfo self() {
        return self;
    }

    @Override
    public ClusterView view() {
        return new ClusterView(List.of(self));
    }

    /** Nobody joins or leaves a broker alone. */
    @Override
    public void addListener(Consumer<ClusterView> listener) {
    }

    @Override
    public void close() {
    }
}
