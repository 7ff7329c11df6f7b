package dev.tributary.broker.group;

import dev.tributary.broker.cluster.BrokerInfo;
import dev.tributary.broker.cluster.ClusterMembership;
import dev.tributary.broker.cluster.ClusterView;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A membership whose live brokers a test sets; listeners hear of each change at once, on the test's thread. */
final class FakeMembership implements ClusterMembership {

    private final BrokerInfo self;
    private final List<Consumer<ClusterView>> listeners = new CopyOnWriteArrayList<>();
    private volatile ClusterView view;

    FakeMembership(int selfId, int... liveIds) {
        this.self = broker(selfId);
        this.view = viewOf(liveIds);
    }

    /** The brokers {@code ids} are alive now, and nobody else. */
    void live(int... ids) {
        view = viewOf(ids);
        listeners.forEach(listener -> listener.accept(view));
    }

    static BrokerInfo broker(int id) {
        return new BrokerInfo(id, "cluster", "broker-" + id + ":9092", Optional.empty(), false);
    }

    private static ClusterView viewOf(int... ids) {
        return new ClusterView(Arrays.stream(ids).mapToObj(FakeMembership::broker).toList());
    }

    @Override
    public BrokerInfo self() {
        return self;
    }

    @Override
    public ClusterView view() {
        return view;
    }

    @Override
    public void addListener(Consumer<ClusterView> listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
    }
}
