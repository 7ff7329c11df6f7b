package dev.tributary.broker.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The live brokers as clients, followers and group placement should see them: the data grid's members, and with
 * them every broker whose session in the metadata database is live though the grid does not show it (cut off from
 * the grid alone, it still serves and replicates over Kafka, at the addresses it recorded). Both sides of a
 * grid-only split then name the same brokers, so neither moves groups or tells clients a leader is gone.
 *
 * <p>The majority a broker needs to act is counted in the grid's view alone ({@link #gridView()}): the database
 * cannot tell two sides of a split apart. Thread-safe, as the two views it joins.
 */
public final class SessionAwareMembership implements ClusterMembership {

    private final ClusterMembership grid;
    private final BrokerSession session;
    private final List<Consumer<ClusterView>> listeners = new CopyOnWriteArrayList<>();

    public SessionAwareMembership(ClusterMembership grid, BrokerSession session) {
        this.grid = grid;
        this.session = session;
        grid.addListener(view -> changed());
        session.addLiveChangeListener(this::changed);
    }

    @Override
    public BrokerInfo self() {
        return grid.self();
    }

    /** The data grid's own view: what the majority is counted in. */
    public ClusterView gridView() {
        return grid.view();
    }

    @Override
    public ClusterView view() {
        ClusterView members = grid.view();
        SessionSnapshot sessions = session.snapshot();
        Set<Integer> shown = members.brokers().stream().map(BrokerInfo::id).collect(Collectors.toSet());
        List<BrokerInfo> brokers = new ArrayList<>(members.brokers());
        for (int id : new TreeSet<>(sessions.live())) {
            RegisteredBroker recorded = sessions.addresses().get(id);
            if (shown.contains(id) || recorded == null || recorded.kafkaAddress().isEmpty())
                continue;
            brokers.add(new BrokerInfo(id, self().clusterId(), recorded.kafkaAddress().get(), recorded.httpUrl(),
                    false));
        }
        return new ClusterView(brokers);
    }

    @Override
    public void addListener(Consumer<ClusterView> listener) {
        listeners.add(listener);
    }

    private void changed() {
        ClusterView view = view();
        listeners.forEach(listener -> listener.accept(view));
    }

    @Override
    public void recheck() {
        grid.recheck();
    }

    @Override
    public void close() {
        grid.close();
    }
}
