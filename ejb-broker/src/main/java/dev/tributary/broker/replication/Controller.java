package dev.tributary.broker.replication;

import dev.tributary.broker.cluster.BrokerInfo;
import dev.tributary.broker.cluster.ClusterView;
import dev.tributary.broker.topic.LeadershipStore;
import dev.tributary.broker.topic.LeadershipStore.Change;
import dev.tributary.broker.topic.PartitionLeadership;
import dev.tributary.broker.topic.TopicAdministration;
import dev.tributary.broker.topic.TopicMetadata;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Chooses leaders when brokers come and go. Every broker runs one, but only the controller of the moment (the
 * data grid's oldest broker, {@link ClusterView#controller()}) acts: when the view changes and once a second, it
 * reads every partition's leadership and
 * <ul>
 *   <li>removes brokers that left from in-sync sets (Kafka's controller fences a broker it lost the same way), so
 *       that {@code acks=all} writes stop waiting for them;</li>
 *   <li>gives a partition whose leader left a new leader: the first of its replicas, in replica order, that is
 *       alive and in sync, at the next leader epoch. With none, the partition has no leader (and keeps its ISR, so
 *       that the first of them to return leads again) unless the topic allows unclean election, in which case any
 *       live replica leads and what only the others held is lost.</li>
 * </ul>
 * Every change is a compare-and-set on the partition epoch ({@link LeadershipStore#compareAndSet}): a controller
 * acting on a stale view (two of them, during a split of the data grid) loses to whoever wrote first, and the
 * database stays the single truth.
 */
public final class Controller implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Controller.class.getName());
    private static final long PERIOD_MS = 1_000;

    private final int brokerId;
    private final LeadershipStore store;
    private final TopicMetadata topics;
    private final TopicAdministration administration;
    private final Supplier<ClusterView> view;
    private final ScheduledExecutorService scheduler;
    private final ScheduledFuture<?> periodic;

    public Controller(int brokerId, LeadershipStore store, TopicMetadata topics, TopicAdministration administration,
                      Supplier<ClusterView> view, ScheduledExecutorService scheduler) {
        this.brokerId = brokerId;
        this.store = store;
        this.topics = topics;
        this.administration = administration;
        this.view = view;
        this.scheduler = scheduler;
        this.periodic = scheduler.scheduleWithFixedDelay(() -> electIfController(false), PERIOD_MS, PERIOD_MS,
                TimeUnit.MILLISECONDS);
    }

    /** Call from a membership listener: the election runs at once, on the scheduler. */
    public void viewChanged() {
        scheduler.execute(() -> electIfController(true));
    }

    /**
     * @param viewChanged whether brokers came or went; if not (the periodic pass), the database is read only if
     *                    this broker's own copy of the leadership, at most a metadata refresh old, shows a
     *                    partition to change: a full read every second would grow with the partition count
     */
    private void electIfController(boolean viewChanged) {
        try {
            ClusterView current = view.get();
            if (!current.isController(brokerId))
                return;
            Set<Integer> live = current.brokers().stream().map(BrokerInfo::id).collect(Collectors.toSet());
            if (viewChanged || topics.leadership().stream()
                    .anyMatch(known -> decide(known, live, uncleanAllowed(known.topic())).isPresent()))
                elect(live);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Leader election failed; retrying in " + PERIOD_MS + " ms", e);
        }
    }

    /** One pass over every partition; returns how many changed. */
    int elect(Set<Integer> live) {
        List<Change> changes = new ArrayList<>();
        for (PartitionLeadership current : store.loadAll())
            decide(current, live, uncleanAllowed(current.topic()))
                    .ifPresent(next -> changes.add(new Change(current, next)));
        Set<PartitionLeadership> stored = new HashSet<>(store.compareAndSetAll(changes));
        for (Change change : changes) {
            PartitionLeadership was = change.expected();
            PartitionLeadership chosen = change.updated();
            if (stored.contains(chosen))
                LOG.info(() -> was.topicPartition() + ": leader " + describe(chosen.leader()) + " at epoch "
                        + chosen.leaderEpoch() + ", ISR " + chosen.isr() + " (was leader " + describe(was.leader())
                        + ", ISR " + was.isr() + "; live brokers " + live + ")");
        }
        if (!stored.isEmpty())
            administration.refresh();
        return stored.size();
    }

    /** The leadership {@code current} should have with {@code live} brokers, if not its own. */
    static Optional<PartitionLeadership> decide(PartitionLeadership current, Set<Integer> live, boolean unclean) {
        List<Integer> liveIsr = current.isrIn(live);
        if (current.hasLeader() && live.contains(current.leader())) {
            return liveIsr.size() < current.isr().size() ? Optional.of(current.withIsr(liveIsr)) : Optional.empty();
        }
        Optional<Integer> inSync = current.replicas().stream().filter(liveIsr::contains).findFirst();
        if (inSync.isPresent())
            return Optional.of(current.withLeader(inSync.get(), liveIsr));
        List<Integer> liveReplicas = current.replicasIn(live);
        if (unclean && !liveReplicas.isEmpty())
            return Optional.of(current.withLeader(liveReplicas.get(0), List.of(liveReplicas.get(0))));
        return current.hasLeader() ? Optional.of(current.withLeader(PartitionLeadership.NO_LEADER, current.isr()))
                : Optional.empty();
    }

    /**
     * Moves leadership back to each partition's preferred replica (its first) where that one is alive and in
     * sync, as Kafka's preferred leader election does: after brokers failed and returned, leaders pile up on the
     * survivors until this runs.
     *
     * @return how many partitions changed leader
     */
    public int electPreferredLeaders() {
        Set<Integer> live = view.get().brokers().stream().map(BrokerInfo::id).collect(Collectors.toSet());
        List<Change> changes = new ArrayList<>();
        for (PartitionLeadership current : store.loadAll()) {
            int preferred = current.preferredLeader();
            if (current.leader() != preferred && live.contains(preferred) && current.isr().contains(preferred))
                changes.add(new Change(current, current.withLeader(preferred, current.isr())));
        }
        int changed = store.compareAndSetAll(changes).size();
        if (changed > 0)
            administration.refresh();
        int moved = changed;
        LOG.info(() -> "Preferred leader election moved " + moved + " partition(s)");
        return changed;
    }

    private boolean uncleanAllowed(String topic) {
        try {
            return topics.config(topic).uncleanLeaderElection();
        } catch (RuntimeException e) {
            return false; // not known here yet: the safe answer
        }
    }

    private static String describe(int leader) {
        return leader == PartitionLeadership.NO_LEADER ? "none" : Integer.toString(leader);
    }

    @Override
    public void close() {
        periodic.cancel(false);
    }
}
