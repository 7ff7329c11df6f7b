package dev.tributary.broker.replication;

import dev.tributary.broker.cluster.BrokerSession;
import dev.tributary.broker.cluster.ClusterMetrics;
import dev.tributary.broker.cluster.ControllerFencedException;
import dev.tributary.broker.cluster.ControllerLease;
import dev.tributary.broker.cluster.ControllerStore;
import dev.tributary.broker.topic.LeadershipStore.Change;
import dev.tributary.broker.topic.LeadershipStore;
import dev.tributary.broker.topic.PartitionLeadership;
import dev.tributary.broker.topic.TopicAdministration;
import dev.tributary.broker.topic.TopicMetadata;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.errors.BrokerNotAvailableException;

/**
 * Chooses leaders when brokers come and go. Every broker runs one, but only the holder of the controller lease acts
 * (see docs/cluster.md#fencing). When the data grid's view changes and once a second, a broker that sees a majority
 * of the registered brokers and whose session is active takes or renews the lease ({@link ControllerStore#claim});
 * one whose session is not current gives it up at once, and one that sees no majority stops acting at once and
 * gives the lease up after one lease period (a broker starting counts before the grid shows it). The holder reads
 * every partition's leadership and
 * <ul>
 *   <li>removes brokers whose sessions expired from in-sync sets (Kafka's controller fences a broker it lost the
 *       same way), so that {@code acks=all} writes stop waiting for them;</li>
 *   <li>gives a partition whose leader's session expired a new leader: the first of its replicas, in replica
 *       order, that is alive and in sync, at the next leader epoch. With none, the partition has no leader (and
 *       keeps its ISR, so that the first of them to return leads again) unless the topic allows unclean election,
 *       in which case any live replica leads and what only the others held is lost.</li>
 * </ul>
 * Liveness is the session in the database, not the data grid: a broker cut off from the grid alone keeps its
 * session and goes on replicating over the Kafka listener, so nothing moves. Every change is a compare-and-set on
 * the partition epoch in one transaction that also checks the lease, its epoch and its expiry under the lease row's
 * lock, and that the sessions of the brokers it takes from have expired: a leader is replaced only once it has
 * stopped acknowledging writes, and a broker this view (a heartbeat old) does not show yet keeps its ISR place.
 *
 * <p>Passes run one at a time (this object's monitor) on a thread of the controller's own: on a scheduler shared
 * with other work, one task stuck on the database (up to the JDBC socket timeout) would stop the lease's renewal,
 * and the lease would move for nothing.
 */
public final class Controller implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Controller.class.getName());
    private static final long PERIOD_MS = 1_000;

    private final int brokerId;
    private final LeadershipStore store;
    private final ControllerStore controllerStore;
    private final TopicMetadata topics;
    private final TopicAdministration administration;
    private final BrokerSession session;
    private final long leaseMs;
    private final ClusterMetrics metrics;
    private final ScheduledExecutorService scheduler;
    private final ScheduledFuture<?> periodic;
    /** The lease this broker last held; null when it is not controller. */
    private ControllerLease held;
    /** When this broker, holding the lease, last started to see fewer than a majority; 0 while it sees one. */
    private long minoritySince;

    /**
     * @param leaseMs how long a claim or renewal of the lease lasts, on the database's clock: the session timeout,
     *                so that a controller that dies is replaced about when the leaders it had are
     */
    public Controller(int brokerId, LeadershipStore store, ControllerStore controllerStore, TopicMetadata topics,
                      TopicAdministration administration, BrokerSession session, long leaseMs,
                      ClusterMetrics metrics) {
        this.brokerId = brokerId;
        this.store = store;
        this.controllerStore = controllerStore;
        this.topics = topics;
        this.administration = administration;
        this.session = session;
        this.leaseMs = leaseMs;
        this.metrics = metrics;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tributary-controller");
            thread.setDaemon(true);
            return thread;
        });
        this.periodic = scheduler.scheduleWithFixedDelay(() -> pass(false), PERIOD_MS, PERIOD_MS,
                TimeUnit.MILLISECONDS);
    }

    /** A full pass now, on the caller's thread: when this broker joins, so that it knows at once where it stands. */
    public void passNow() {
        pass(true);
    }

    /** Call from a membership listener: a pass runs at once, on the controller's thread. */
    public void viewChanged() {
        try {
            scheduler.execute(() -> pass(true));
        } catch (RejectedExecutionException closed) {
            LOG.log(Level.FINE, "Controller closed; ignoring a view change", closed);
        }
    }

    /**
     * @param viewChanged whether brokers came or went; if not (the periodic pass), the database is read only if
     *                    this broker's own copy of the leadership, at most a metadata refresh old, shows a
     *                    partition to change: a full read every second would grow with the partition count
     */
    synchronized void pass(boolean viewChanged) {
        try {
            Optional<ControllerLease> lease = holdLease();
            if (lease.isEmpty())
                return;
            Set<Integer> live = session.snapshot().live();
            if (viewChanged || topics.leadership().stream()
                    .anyMatch(known -> decide(known, live, uncleanAllowed(known.topic())).isPresent()))
                elect(lease.get(), live);
        } catch (ControllerFencedException e) {
            LOG.warning(() -> e.getMessage() + ": broker " + brokerId + " is no longer controller");
            resign();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Controller pass failed; retrying in " + PERIOD_MS + " ms", e);
        }
    }

    /** Whether this broker holds the controller lease, as of its last pass. */
    public synchronized boolean isActive() {
        return held != null;
    }

    /**
     * Takes or renews the lease if this broker may act; gives it up if it may not.
     *
     * @return the lease held now, if this broker may act under it
     */
    private Optional<ControllerLease> holdLease() {
        if (!session.sessionActive()) {
            giveUp("its session in the metadata database is not current");
            return Optional.empty();
        }
        if (!session.seesMajority()) {
            // Never act without a majority. A holder keeps the lease for a grace of one lease period first: a broker
            // that registers on start counts before the grid shows it, and giving the lease up for those seconds
            // would move it for nothing; a holder really cut off releases it after the grace.
            long now = System.nanoTime();
            if (held == null)
                return Optional.empty();
            if (minoritySince == 0) {
                minoritySince = now;
                LOG.info(() -> "Broker " + brokerId + " sees fewer than a majority of the registered brokers: it"
                        + " acts as controller no more, and gives the lease up in " + leaseMs + " ms unless that"
                        + " changes");
            }
            if (now - minoritySince > TimeUnit.MILLISECONDS.toNanos(leaseMs))
                giveUp("it has seen fewer than a majority of the registered brokers for " + leaseMs + " ms");
            else
                renew();
            return Optional.empty();
        }
        minoritySince = 0;
        Optional<ControllerLease> current = session.snapshot().controller();
        if (held == null && current.isPresent() && current.get().brokerId() != brokerId)
            return Optional.empty(); // another broker held an unexpired lease at the last heartbeat: no write
        return renew();
    }

    /** Takes or renews the lease; returns it if held now. */
    private Optional<ControllerLease> renew() {
        Optional<ControllerLease> claimed = controllerStore.claim(brokerId, leaseMs);
        if (claimed.isEmpty()) {
            resign();
            return claimed;
        }
        if (held == null || held.epoch() != claimed.get().epoch()) {
            metrics.becameController(claimed.get().epoch());
            LOG.info(() -> "Broker " + brokerId + " is controller at controller epoch " + claimed.get().epoch());
        }
        held = claimed.get();
        return claimed;
    }

    private void giveUp(String why) {
        minoritySince = 0;
        if (held == null)
            return;
        LOG.warning(() -> "Broker " + brokerId + " gives up the controller lease: " + why);
        giveUpLease();
    }

    private void resign() {
        if (held != null)
            metrics.resignedController();
        held = null;
    }

    /** One pass over every partition under {@code lease}; returns how many changed. */
    int elect(ControllerLease lease, Set<Integer> live) {
        List<Change> changes = new ArrayList<>();
        for (PartitionLeadership current : store.loadAll())
            decide(current, live, uncleanAllowed(current.topic()))
                    .ifPresent(next -> changes.add(new Change(current, next)));
        if (changes.isEmpty())
            return 0;
        Set<PartitionLeadership> stored = new HashSet<>(controllerStore.compareAndSetAll(lease, changes, true));
        metrics.leadershipWritten(stored.size());
        for (Change change : changes) {
            PartitionLeadership was = change.expected();
            PartitionLeadership chosen = change.updated();
            if (stored.contains(chosen))
                LOG.info(() -> was.topicPartition() + ": leader " + describe(chosen.leader()) + " at epoch "
                        + chosen.leaderEpoch() + ", ISR " + chosen.isr() + " (was leader " + describe(was.leader())
                        + ", ISR " + was.isr() + "; live brokers " + live + ", controller epoch " + lease.epoch()
                        + ")");
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
     * survivors until this runs. Only the controller does it, fenced by its lease; the old leader, alive, learns
     * of the move from the database as any broker does.
     *
     * @return how many partitions changed leader
     * @throws BrokerNotAvailableException if this broker is not the controller (the message names the one that is)
     */
    public synchronized int electPreferredLeaders() {
        if (held == null)
            throw new BrokerNotAvailableException("Broker " + brokerId + " is not the controller"
                    + session.snapshot().controller().map(c -> "; broker " + c.brokerId() + " is: ask it").orElse(
                            " and none holds the lease now; try again in a few seconds"));
        Set<Integer> live = session.snapshot().live();
        List<Change> changes = new ArrayList<>();
        for (PartitionLeadership current : store.loadAll()) {
            int preferred = current.preferredLeader();
            if (current.leader() != preferred && live.contains(preferred) && current.isr().contains(preferred))
                changes.add(new Change(current, current.withLeader(preferred, current.isr())));
        }
        int changed;
        try {
            changed = changes.isEmpty() ? 0 : controllerStore.compareAndSetAll(held, changes, false).size();
        } catch (ControllerFencedException e) {
            resign();
            throw new BrokerNotAvailableException(e.getMessage());
        }
        metrics.leadershipWritten(changed);
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

    /** Stops the passes and gives up the lease, so that another broker takes over at once. */
    @Override
    public void close() {
        periodic.cancel(false);
        scheduler.shutdown();
        synchronized (this) {
            giveUpLease();
        }
    }

    private void giveUpLease() {
        if (held != null) {
            ControllerLease giving = held;
            resign();
            try {
                controllerStore.release(giving);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Could not release the controller lease; it expires by itself", e);
            }
        }
    }
}
