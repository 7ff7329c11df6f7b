package dev.tributary.broker.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This broker's session in the shared metadata database, and what it may do because of it ({@link ClusterStanding}).
 * A thread of its own renews the session every heartbeat interval, so that a database call hanging on a cut network
 * (up to the JDBC socket timeout) never delays the other work of the broker, and the others' never delay this.
 *
 * <p>The rule that makes self-fencing sound: the database sets the expiry to its own now plus the session timeout,
 * and its now is no earlier than the moment the heartbeat began here. This broker counts its own deadline from that
 * moment, on its monotonic clock, and stops at {@code fenceAfterMs}, a margin before the session timeout; so it has
 * stopped acknowledging writes before the database lets the controller replace it, whatever the brokers' clocks
 * say (only their rates must roughly agree, and the margin absorbs that).
 *
 * <p>Thread-safe: the heartbeat thread writes the volatile fields, everyone reads them.
 */
public final class BrokerSession implements ClusterStanding, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BrokerSession.class.getName());

    private final int brokerId;
    private final ClusterSessions store;
    private final long sessionTimeoutMs;
    private final long fenceAfterNanos;
    private final LongSupplier nanoTime;
    private volatile Supplier<ClusterView> grid = () -> new ClusterView(List.of());
    private volatile long activeUntilNanos;
    private volatile SessionSnapshot snapshot = SessionSnapshot.none();
    private volatile boolean failing;
    private final List<Runnable> liveChangeListeners = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService heartbeats;

    /**
     * A session that is inactive until the first {@link #heartbeat()} succeeds.
     *
     * @param fenceAfterMs how long after a successful heartbeat began this broker still counts as active; less
     *                     than {@code sessionTimeoutMs}
     */
    public BrokerSession(int brokerId, ClusterSessions store, long sessionTimeoutMs, long fenceAfterMs,
                         LongSupplier nanoTime) {
        if (fenceAfterMs >= sessionTimeoutMs)
            throw new IllegalArgumentException("A broker must fence itself (after " + fenceAfterMs + " ms) before its"
                    + " session expires (" + sessionTimeoutMs + " ms)");
        this.brokerId = brokerId;
        this.store = store;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.fenceAfterNanos = TimeUnit.MILLISECONDS.toNanos(fenceAfterMs);
        this.nanoTime = nanoTime;
        this.activeUntilNanos = nanoTime.getAsLong();
    }

    /**
     * Renews the session once (on the caller's thread: a start fails if the database cannot be reached), then
     * every {@code heartbeatIntervalMs} on a thread of its own.
     */
    public synchronized void start(long heartbeatIntervalMs) {
        heartbeat();
        if (!sessionActive())
            throw new IllegalStateException("Broker " + brokerId + " cannot open its session in the metadata database");
        heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tributary-broker-session");
            thread.setDaemon(true);
            return thread;
        });
        heartbeats.scheduleWithFixedDelay(this::heartbeat, heartbeatIntervalMs, heartbeatIntervalMs,
                TimeUnit.MILLISECONDS);
    }

    /** From now on the majority is counted in {@code view} (the data grid's live brokers), not in an empty view. */
    public void follow(Supplier<ClusterView> view) {
        grid = view;
    }

    /** Renews the session; on failure leaves the deadline where it was, so the broker fences itself in time. */
    public void heartbeat() {
        long began = nanoTime.getAsLong();
        try {
            SessionSnapshot read = store.heartbeat(brokerId, sessionTimeoutMs);
            SessionSnapshot previous = snapshot;
            snapshot = read;
            if (!read.live().equals(previous.live()))
                liveChangeListeners.forEach(Runnable::run);
            activeUntilNanos = began + fenceAfterNanos;
            if (failing) {
                failing = false;
                LOG.info(() -> "Broker " + brokerId + " renewed its session in the metadata database again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.log(Level.WARNING, "Broker " + brokerId + " could not renew its session in the metadata database;"
                        + " it stops acknowledging acks=all writes and acting as controller "
                        + TimeUnit.NANOSECONDS.toMillis(Math.max(0, activeUntilNanos - nanoTime.getAsLong()))
                        + " ms from now unless a heartbeat succeeds", e);
            }
        }
    }

    @Override
    public boolean sessionActive() {
        return nanoTime.getAsLong() - activeUntilNanos < 0;
    }

    @Override
    public boolean seesMajority() {
        if (!sessionActive())
            return false;
        SessionSnapshot current = snapshot;
        long visible = grid.get().brokers().stream().map(BrokerInfo::id).filter(current.registered()::contains)
                .count();
        return visible * 2 > current.registered().size();
    }

    /** Calls {@code listener} on the heartbeat thread whenever the set of live sessions changed; must not block. */
    public void addLiveChangeListener(Runnable listener) {
        liveChangeListeners.add(listener);
    }

    @Override
    public boolean isLive(int brokerId) {
        return snapshot.live().contains(brokerId);
    }

    /** What the last successful heartbeat read: sessions, registered brokers and the controller lease. */
    public SessionSnapshot snapshot() {
        return snapshot;
    }

    /** Stops the heartbeats and expires the session, so that others take over at once rather than after it. */
    @Override
    public synchronized void close() {
        if (heartbeats != null) {
            heartbeats.shutdownNow();
            heartbeats = null;
        }
        activeUntilNanos = nanoTime.getAsLong();
        try {
            store.endSession(brokerId);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Could not end broker " + brokerId + "'s session; it expires by itself", e);
        }
    }
}
