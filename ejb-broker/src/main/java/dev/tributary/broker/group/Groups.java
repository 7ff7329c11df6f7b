package dev.tributary.broker.group;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.protocol.Errors;

/**
 * The groups this coordinator owns, and the one way to work on a group: under its monitor, through the methods
 * here.
 *
 * <p>Each group is its own critical section: requests of different groups run in parallel, requests and timers of
 * one group are serialized by its monitor (Kafka gets the same effect from one event loop per offsets partition).
 * A group is removed from the map under its monitor after being marked dead; whoever looked it up before and locks
 * it after sees it dead and looks again, so no request ever acts on a removed group. The same holds when an empty
 * group is replaced by one of the other type ({@link #withGroupAs}).
 *
 * <p>In a cluster the coordinator owns only the groups placed on its broker ({@link GroupOwnership}). Ownership is
 * checked before a group is looked up and again under its monitor, and {@link #unload} swaps the ownership before it
 * locks each group: a request either finishes before its group is unloaded, or sees the new ownership and is
 * refused; it never revives a group that moved away.
 */
final class Groups {

    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile GroupOwnership ownership = GroupOwnership.everyGroup();
    /**
     * Groups the database says another broker coordinates although the ownership places them here (this broker's
     * view is stale): refused until the next hand-over decides again.
     */
    private final Set<String> lost = ConcurrentHashMap.newKeySet();

    /**
     * Runs {@code work} on the group as a group of {@code type}: one is created if there is none, and an empty group
     * of the other type is replaced by one (its committed offsets kept), as Kafka converts an empty group when a
     * member of the other protocol joins it. A group of the other type that has members is handed to
     * {@code otherType} instead.
     */
    <G extends Group, T> T withGroupAs(String groupId, Class<G> type, Function<String, G> create,
                                       Function<G, T> work, Function<Group, T> otherType) {
        checkServes(groupId); // before creating: a refused request leaves no group behind
        while (true) {
            Group group = groups.computeIfAbsent(groupId, create);
            Attempt<T> attempt = attempt(group, g -> {
                if (type.isInstance(g)) {
                    return Attempt.ran(work.apply(type.cast(g)));
                }
                if (!g.isEmpty()) {
                    return Attempt.ran(otherType.apply(g));
                }
                G converted = create.apply(groupId);
                converted.offsets().putAll(g.offsets().all());
                retire(g);
                groups.putIfAbsent(groupId, converted);
                return Attempt.notRun(); // look it up again, and work on it under its own monitor
            });
            if (attempt.ran) {
                return attempt.result;
            }
        }
    }

    /** Runs {@code work} on the group, of whatever type; {@code create} makes one if there is none. */
    <T> T withGroupOrCreate(String groupId, Function<String, ? extends Group> create, Function<Group, T> work) {
        checkServes(groupId);
        while (true) {
            Group group = groups.computeIfAbsent(groupId, create);
            Attempt<T> attempt = attempt(group, g -> Attempt.ran(work.apply(g)));
            if (attempt.ran) {
                return attempt.result;
            }
        }
    }

    /** Runs {@code work} on the group if it exists, else returns {@code absent}'s answer. */
    <T> T withGroup(String groupId, Function<Group, T> work, Supplier<T> absent) {
        while (true) {
            Group group = groups.get(groupId);
            if (group == null) {
                checkServes(groupId);
                return absent.get();
            }
            Attempt<T> attempt = attempt(group, g -> Attempt.ran(work.apply(g)));
            if (attempt.ran) {
                return attempt.result;
            }
        }
    }

    /**
     * Runs a timer's work on a group it captured, unless the group died or the coordinator closed since.
     */
    void onTimer(Group group, Runnable work) {
        if (closed) {
            return;
        }
        try {
            attempt(group, g -> {
                work.run();
                return Attempt.ran(null);
            });
        } catch (NotCoordinatorException | CoordinatorLoadInProgressException beingUnloaded) {
            // The coordinator closed, or the group moved to another broker, since the timer fired: the unload
            // cancels the group's timers and answers its members, so this one has nothing left to do.
        }
    }

    List<Group> all() {
        return List.copyOf(groups.values());
    }

    GroupOwnership ownership() {
        return ownership;
    }

    /** Whether requests for the group may run here now (it is served and loaded, and the coordinator open). */
    boolean isReady(String groupId) {
        return !closed && ownership.refusal(groupId) == Errors.NONE;
    }

    /**
     * Takes on {@code next} and unloads every group it does not serve: under the group's monitor, {@code onUnload}
     * answers the group's parked requests, then the group is removed with its timers and its cache of committed
     * offsets. Only {@link GroupHandover} calls this, one call at a time.
     */
    void unload(GroupOwnership next, Consumer<Group> onUnload) {
        ownership = next;
        for (Group group : all()) {
            if (!next.serves(group.groupId())) {
                runLocked(group, g -> {
                    if (!g.isDead()) {
                        onUnload.accept(g);
                        retire(g);
                    }
                    return null;
                });
            }
        }
    }

    /**
     * Takes on a loading group as the stores hold it ({@code loaded}: committed offsets and, for a consumer group,
     * its members). The group this coordinator already has stays, with the stored offsets, if the stores say nothing
     * newer about its members: a classic group (its members live only here), a consumer group at the stored
     * version, or an empty one; otherwise {@code loaded} replaces it, after {@code onReplaced} answered what the old
     * one had parked. Requests for the group are refused until the ownership says it is loaded, so none sees it
     * half-loaded. {@code onLoaded} starts a replacement's timers under its monitor.
     */
    void load(Group loaded, Consumer<Group> onReplaced, Consumer<Group> onLoaded) {
        Group previous = groups.get(loaded.groupId());
        if (previous != null) {
            boolean kept = runLocked(previous, g -> {
                if (g.isDead() || !stillCurrent(g, loaded)) {
                    if (!g.isDead()) {
                        onReplaced.accept(g);
                        retire(g);
                    }
                    return false;
                }
                g.offsets().clear();
                g.offsets().putAll(loaded.offsets().all());
                return true;
            });
            if (kept) {
                return;
            }
        }
        groups.put(loaded.groupId(), loaded);
        runLocked(loaded, g -> {
            onLoaded.accept(g);
            return null;
        });
    }

    private static boolean stillCurrent(Group current, Group loaded) {
        if (current.isEmpty() && loaded.isEmpty()) {
            return true;
        }
        if (current instanceof ClassicGroup && loaded instanceof ClassicGroup) {
            return true;
        }
        return current instanceof ConsumerGroup mine && loaded instanceof ConsumerGroup stored
                && mine.storedVersion() == stored.storedVersion();
    }

    /** Takes on {@code next} without unloading anything (when a hand-over has loaded what it gained). */
    void ownership(GroupOwnership next) {
        ownership = next;
    }

    /**
     * Another broker coordinates {@code groupId} now (a write found its claim taken over): the group is unloaded
     * as by a hand-over, and refused until the next one.
     */
    void lose(String groupId, Consumer<Group> onUnload) {
        lost.add(groupId);
        Group group = groups.get(groupId);
        if (group != null) {
            runLocked(group, g -> {
                if (!g.isDead()) {
                    onUnload.accept(g);
                    retire(g);
                }
                return null;
            });
        }
    }

    /** A hand-over decides afresh: groups lost to another broker are placed by the ownership again. */
    void forgetLost() {
        lost.clear();
    }

    /** Seeds a group at start-up, before any request can arrive; {@code onLoaded} starts its timers. */
    void seed(Group group, Consumer<Group> onLoaded) {
        groups.put(group.groupId(), group);
        runLocked(group, g -> {
            onLoaded.accept(g);
            return null;
        });
    }

    /**
     * Marks the coordinator closed; every later request fails with NOT_COORDINATOR (the client looks for the
     * coordinator again), and {@code onClose} runs on every group under its monitor.
     */
    void close(Consumer<Group> onClose) {
        closed = true;
        for (Group group : all()) {
            runLocked(group, g -> {
                onClose.accept(g);
                return null;
            });
        }
    }

    private <T> Attempt<T> attempt(Group group, Function<Group, Attempt<T>> work) {
        return runLocked(group, g -> {
            if (g.isDead()) {
                return Attempt.<T>notRun();
            }
            checkServes(g.groupId());
            try {
                return work.apply(g);
            } finally {
                // A group created for a request that then failed, or emptied by it, is not kept.
                if (g.isUnused()) {
                    retire(g);
                }
            }
        });
    }

    /**
     * Holds the group's monitor for {@code work}, then completes the responses it queued, outside the monitor
     * (see {@link Group}). Responses are completed even when {@code work} throws, so none is left hanging.
     */
    private static <T> T runLocked(Group group, Function<Group, T> work) {
        List<Runnable> completions;
        T result;
        synchronized (group) {
            try {
                result = work.apply(group);
            } finally {
                completions = group.drainCompletions();
            }
        }
        completions.forEach(Runnable::run);
        return result;
    }

    /** Removes the group from the coordinator. Caller holds the group's monitor. */
    void retire(Group group) {
        group.cancelTimers();
        group.markDead();
        groups.remove(group.groupId(), group);
    }

    boolean isClosed() {
        return closed;
    }

    void checkOpen() {
        if (closed) {
            throw new NotCoordinatorException("The group coordinator is shut down");
        }
    }

    private void checkServes(String groupId) {
        checkOpen();
        if (lost.contains(groupId)) {
            throw new NotCoordinatorException("Group " + groupId + " is coordinated by another broker, as the"
                    + " metadata database says");
        }
        GroupOwnership current = ownership;
        Errors refusal = current.refusal(groupId);
        if (refusal == Errors.NOT_COORDINATOR) {
            throw new NotCoordinatorException("Group " + groupId + " is coordinated by another broker");
        }
        if (refusal == Errors.COORDINATOR_LOAD_IN_PROGRESS) {
            throw new CoordinatorLoadInProgressException("The committed offsets of group " + groupId
                    + " are being loaded");
        }
    }

    private record Attempt<T>(boolean ran, T result) {
        static <T> Attempt<T> ran(T result) {
            return new Attempt<>(true, result);
        }

        static <T> Attempt<T> notRun() {
            return new Attempt<>(false, null);
        }
    }
}
