package dev.tributary.broker.group;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.NotCoordinatorException;

/**
 * The groups this coordinator owns, and the one way to work on a group: {@link #locked}.
 *
 * <p>Each group is its own critical section: requests of different groups run in parallel, requests and timers of
 * one group are serialized by its monitor (Kafka gets the same effect from one event loop per offsets partition).
 * A group is removed from the map under its monitor after being marked {@link GroupState#DEAD}; whoever looked it
 * up before and locks it after sees it dead and looks again, so no request ever acts on a removed group.
 */
final class Groups {

    private final Map<String, ClassicGroup> groups = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Runs {@code work} on the group, creating it (Empty) if there is none. */
    <T> T withGroupOrCreate(String groupId, Function<ClassicGroup, T> work) {
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
                checkOpen();
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
        if (!closed) {
            attempt(group, g -> {
                work.run();
                return null;
            });
        }
    }

    List<ClassicGroup> all() {
        return List.copyOf(groups.values());
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
            checkOpen();
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

    private void checkOpen() {
        if (closed) {
            throw new NotCoordinatorException("The group coordinator is shut down");
        }
    }

    private record Attempt<T>(boolean ran, T result) {
        static <T> Attempt<T> notRun() {
            return new Attempt<>(false, null);
        }
    }
}
