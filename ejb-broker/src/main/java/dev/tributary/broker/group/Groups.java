package dev.tributary.broker.group;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.protocol.Errors;

/**
 * The groups this coordinator owns, and the one way to work on a group: {@link #locked}.
 *
 * <p>Each group is its own critical section: requests of different groups run in parallel, requests and timers of
 * one group are serialized by its monitor (Kafka gets the same effect from one event loop per offsets partition).
 * A group is removed from the map under its monitor after being marked {@link GroupState#DEAD}; whoever looked it
 * up before and locks it after sees it dead and looks again, so no request ever acts on a removed group.
 *
 * <p>In a cluster the coordinator owns only the groups placed on its broker ({@link GroupOwnership}). Ownership is
 * checked before a group is looked up and again under its monitor, and {@link #unload} swaps the ownership before it
 * locks each group: a request either finishes before its group is unloaded, or sees the new ownership and is
 * refused; it never revives a group that moved away.
 */
final class Groups {

    private final Map<String, ClassicGroup> groups = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile GroupOwnership ownership = GroupOwnership.everyGroup();
    /**
     * Groups the database says another broker coordinates although the ownership places them here (this broker's
     * view is stale): refused until the next hand-over decides again.
     */
    private final Set<String> lost = ConcurrentHashMap.newKeySet();

    /** Runs {@code work} on the group, creating it (Empty) if there is none. */
    <T> T withGroupOrCreate(String groupId, Function<ClassicGroup, T> work) {
        checkServes(groupId); // before creating: a refused request leaves no group behind
        while (true) {
            ClassicGroup group = groups.computeIfAbsent(groupId, ClassicGroup::new);
            Attempt<T> attempt = attempt(group, work);
            if (attempt.ran) {
                return attempt.result;
            }
        }
    }

    /** Runs {@code work} on the group if it exists, else returns {@code absent}'s answer. */
    <T> T withGroup(String groupId, Function<ClassicGroup, T> work, Supplier<T> absent) {
        while (true) {
            ClassicGroup group = groups.get(groupId);
            if (group == null) {
                checkServes(groupId);
                return absent.get();
            }
            Attempt<T> attempt = attempt(group, work);
            if (attempt.ran) {
                return attempt.result;
            }
        }
    }

    /**
     * Runs a timer's work on a group it captured, unless the group died or the coordinator closed since.
     */
    void onTimer(ClassicGroup group, Runnable work) {
        if (closed) {
            return;
        }
        try {
            attempt(group, g -> {
                work.run();
                return null;
            });
        } catch (NotCoordinatorException | CoordinatorLoadInProgressException beingUnloaded) {
            // The coordinator closed, or the group moved to another broker, since the timer fired: the unload
            // cancels the group's timers and answers its members, so this one has nothing left to do.
        }
    }

    List<ClassicGroup> all() {
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
    void unload(GroupOwnership next, Consumer<ClassicGroup> onUnload) {
        ownership = next;
        for (ClassicGroup group : all()) {
            if (!next.serves(group.groupId())) {
                runLocked(group, g -> {
                    if (!g.isIn(GroupState.DEAD)) {
                        onUnload.accept(g);
                        retire(g);
                    }
                    return null;
                });
            }
        }
    }

    /**
     * Replaces a loading group's committed offsets with the store's (creating it, Empty, if need be). Requests for
     * it are refused until the ownership says it is loaded, so none sees it half-loaded.
     */
    void load(String groupId, Map<TopicPartition, CommittedOffset> committed) {
        ClassicGroup group = groups.computeIfAbsent(groupId, ClassicGroup::new);
        runLocked(group, g -> {
            g.offsets().clear();
            g.offsets().putAll(committed);
            return null;
        });
    }

    /** Takes on {@code next} without unloading anything (when a hand-over has loaded what it gained). */
    void ownership(GroupOwnership next) {
        ownership = next;
    }

    /**
     * Another broker coordinates {@code groupId} now (a write found its claim taken over): the group is unloaded
     * as by a hand-over, and refused until the next one.
     */
    void lose(String groupId, Consumer<ClassicGroup> onUnload) {
        lost.add(groupId);
        ClassicGroup group = groups.get(groupId);
        if (group != null) {
            runLocked(group, g -> {
                if (!g.isIn(GroupState.DEAD)) {
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

    /** Seeds a group at start-up, before any request can arrive. */
    ClassicGroup seed(String groupId) {
        return groups.computeIfAbsent(groupId, ClassicGroup::new);
    }

    /**
     * Marks the coordinator closed; every later request fails with NOT_COORDINATOR (the client looks for the
     * coordinator again), and {@code onClose} runs on every group under its monitor.
     */
    void close(Consumer<ClassicGroup> onClose) {
        closed = true;
        for (ClassicGroup group : all()) {
            runLocked(group, g -> {
                onClose.accept(g);
                return null;
            });
        }
    }

    private <T> Attempt<T> attempt(ClassicGroup group, Function<ClassicGroup, T> work) {
        return runLocked(group, g -> {
            if (g.isIn(GroupState.DEAD)) {
                return Attempt.<T>notRun();
            }
            checkServes(g.groupId());
            try {
                return new Attempt<>(true, work.apply(g));
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
     * (see {@link ClassicGroup}). Responses are completed even when {@code work} throws, so none is left hanging.
     */
    private static <T> T runLocked(ClassicGroup group, Function<ClassicGroup, T> work) {
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

    /** Caller holds the group's monitor. */
    void retire(ClassicGroup group) {
        group.cancelTimers();
        group.transitionTo(GroupState.DEAD);
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
        static <T> Attempt<T> notRun() {
            return new Attempt<>(false, null);
        }
    }
}
