package dev.tributary.broker.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Membership through the data grid: this broker announces itself in the grid-wide map under its member id; the
 * live brokers are the grid members that have an announcement, in the grid's age order, so the controller is the
 * oldest member that runs a broker (members that run only applications are not brokers). The grid decides who is
 * alive; this class only reads it.
 *
 * <p>A member that leaves (or is killed) cannot withdraw its own announcement, so every broker withdraws the
 * announcements of departed members when the grid reports the change; the view ignores them meanwhile.
 */
public final class GridMembership implements ClusterMembership {

    private static final Logger LOG = Logger.getLogger(GridMembership.class.getName());
    /** A {@link #recheck} re-reads the grid's map at least this often even when its copy looks consistent. */
    static final int RESYNC_EVERY_RECHECKS = 30;

    private final DataGrid grid;
    private final BrokerInfo self;
    private final List<Consumer<ClusterView>> listeners = new CopyOnWriteArrayList<>();
    /** Peers already reported as conflicting after this broker joined, so each is logged once. */
    private final Set<Integer> reportedConflicts = new HashSet<>();
    private DataGrid.Subscription subscription;
    private ClusterView lastView;
    private volatile boolean closed;
    /** Touched only by {@link #recheck}, which one timer calls at a time. */
    private int rechecksSinceResync;

    private GridMembership(DataGrid grid, BrokerInfo self) {
        this.grid = grid;
        this.self = self;
    }

    /**
     * Announces {@code self} and checks the brokers already in the grid. Announcing before looking makes two
     * brokers that start together see at least one of each other: whichever looks last finds the other.
     *
     * @throws ClusterConflictException if this broker cannot be a member of the cluster it found
     */
    public static GridMembership join(DataGrid grid, BrokerInfo self) {
        GridMembership membership = new GridMembership(grid, self);
        grid.announce(self.encode());
        try {
            ClusterView view = membership.view();
            for (BrokerInfo peer : view.brokers()) {
                membership.conflictWith(peer).ifPresent(conflict -> {
                    throw new ClusterConflictException(conflict);
                });
            }
        } catch (RuntimeException e) {
            grid.withdraw(grid.localMemberId());
            throw e;
        }
        membership.subscription = grid.subscribe(membership::refresh);
        membership.refresh();
        LOG.info(() -> "Broker " + self.id() + " joined the data grid; live brokers " + ids(membership.view())
                + ", controller " + membership.view().controller().map(BrokerInfo::id).orElse(null));
        return membership;
    }

    @Override
    public BrokerInfo self() {
        return self;
    }

    /**
     * This broker is in its own view while it is a grid member, even if the grid lost its announcement (members
     * dying together can take the map's only copies with them) until it announces itself again.
     */
    @Override
    public ClusterView view() {
        Map<String, String> announcements = grid.announcements();
        String local = grid.localMemberId();
        List<BrokerInfo> brokers = new ArrayList<>();
        for (String member : grid.memberIds()) {
            String announcement = member.equals(local) && !closed ? self.encode() : announcements.get(member);
            if (announcement == null) {
                continue; // a server without a broker, or one still starting
            }
            try {
                brokers.add(BrokerInfo.decode(announcement));
            } catch (IllegalArgumentException e) {
                // Another version's format, say: that member is not counted rather than failing every view.
                LOG.log(Level.FINE, "Ignoring the announcement of grid member " + member, e);
            }
        }
        return new ClusterView(brokers);
    }

    @Override
    public void addListener(Consumer<ClusterView> listener) {
        listeners.add(listener);
    }

    /**
     * After the grid changed: withdraws departed members' announcements, announces this broker again if the grid
     * lost its entry (a merge after a network split may), and tells listeners if the view changed.
     */
    synchronized void refresh() {
        if (subscription == null) {
            return; // closed
        }
        ClusterView view = view();
        for (BrokerInfo peer : view.brokers()) {
            conflictWith(peer).filter(conflict -> reportedConflicts.add(peer.id()))
                    .ifPresent(conflict -> LOG.severe(conflict));
        }
        if (!view.equals(lastView)) {
            ClusterView previous = lastView;
            lastView = view;
            if (previous != null) {
                LOG.info(() -> "Live brokers " + ids(view) + ", controller "
                        + view.controller().map(BrokerInfo::id).orElse(null));
            }
            for (Consumer<ClusterView> listener : listeners) {
                try {
                    listener.accept(view);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "A cluster membership listener failed", e);
                }
            }
        }
        // Housekeeping after the listeners heard of the change: these write to the grid, which may stall while
        // it moves partitions after a member left.
        Set<String> members = new HashSet<>(grid.memberIds());
        Map<String, String> announcements = grid.announcements();
        for (String announced : announcements.keySet()) {
            if (!members.contains(announced)) {
                grid.withdraw(announced);
            }
        }
        if (members.contains(grid.localMemberId()) && !announcements.containsKey(grid.localMemberId())) {
            grid.announce(self.encode());
        }
    }

    /**
     * The grid's map is read afresh first when the local copy disagrees with the members (a member without an
     * announcement, or an announcement of no member; always so where servers without a broker share the grid): the
     * copy may have missed events while this member was split off. A read of the map is remote and may stall while the grid moves partitions (on the thread other timers
     * share), so otherwise it is done only every {@value #RESYNC_EVERY_RECHECKS}th time: often enough that an entry
     * the grid lost while every copy still holds it (members dying together) is noticed, and re-announced by its
     * owner's {@link #refresh}, before long.
     */
    @Override
    public void recheck() {
        if (closed)
            return;
        try {
            boolean due = ++rechecksSinceResync >= RESYNC_EVERY_RECHECKS;
            if (due || !new HashSet<>(grid.memberIds()).equals(grid.announcements().keySet())) {
                rechecksSinceResync = 0;
                grid.resync();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Could not re-read the data grid's announcements", e);
        }
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Could not bring the membership view up to date; trying again shortly", e);
        }
    }

    /** Why this broker and {@code peer} cannot be in one cluster, if they cannot. */
    private Optional<String> conflictWith(BrokerInfo peer) {
        if (peer.equals(self)) {
            return Optional.empty();
        }
        String where = "broker " + peer.id() + " (Kafka " + peer.kafkaAddress() + ")";
        if (self.embeddedDatabase() || peer.embeddedDatabase()) {
            String embedded = self.embeddedDatabase()
                    ? "Broker " + self.id() + " uses the embedded H2 metadata database of its data directory, but"
                            + " the data grid already has " + where
                    : "The data grid has " + where + ", which uses the embedded H2 metadata database of its own"
                            + " data directory";
            return Optional.of(embedded + ": a cluster needs a shared database (PostgreSQL) that every broker"
                    + " uses. Start every broker with the same --db-url jdbc:postgresql://HOST:5432/DATABASE and"
                    + " --db-user USER, and the password in TRIBUTARY_DB_PASSWORD (or set tributary.db.url,"
                    + " tributary.db.user and tributary.db.password).");
        }
        if (!peer.clusterId().equals(self.clusterId())) {
            return Optional.of("The data grid has " + where + " of cluster " + peer.clusterId() + ", but this"
                    + " broker's metadata database is cluster " + self.clusterId() + ": every broker of a cluster"
                    + " must use the same database (--db-url).");
        }
        if (peer.id() == self.id()) {
            return Optional.of("The data grid already has a broker " + self.id() + " (Kafka " + peer.kafkaAddress()
                    + "): two data directories carry the same identity (meta.properties copied?).");
        }
        return Optional.empty();
    }

    /** Withdraws this broker's announcement, so that the others see it leave at once. */
    @Override
    public synchronized void close() {
        closed = true;
        if (subscription != null) {
            subscription.cancel();
            subscription = null;
        }
        try {
            grid.withdraw(grid.localMemberId());
        } catch (RuntimeException e) {
            // The grid may already be shutting down with the server; the others drop us when we leave it.
            LOG.log(Level.FINE, "Could not withdraw this broker's announcement", e);
        }
    }

    private static List<Integer> ids(ClusterView view) {
        return view.brokers().stream().map(BrokerInfo::id).toList();
    }
}
