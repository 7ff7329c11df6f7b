package dev.tributary.broker.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One group of this coordinator, of either protocol: a {@link ClassicGroup} or a {@link ConsumerGroup}. What both
 * have: an id, committed offsets, and the responses a request or timer queued while holding the group's monitor.
 *
 * <p>A group id names one group at a time; an empty group changes type when a member of the other protocol joins
 * it (as Kafka converts an empty group), which replaces the object: the old one is marked dead first, so a request
 * that looked it up before sees it dead under its monitor and looks again ({@link Groups}).
 *
 * <p>Concurrency: every access holds the group's monitor ({@link Groups#locked}). Responses are never completed
 * under it: {@link #complete} queues them and {@link Groups} runs them after releasing the monitor, so a caller's
 * continuation (writing to a socket, calling the coordinator again) never runs inside another group's critical
 * section.
 */
abstract sealed class Group permits ClassicGroup, ConsumerGroup {

    private final String groupId;
    private final GroupOffsets offsets = new GroupOffsets();
    private final List<Runnable> completions = new ArrayList<>();
    private boolean dead;

    Group(String groupId) {
        this.groupId = groupId;
    }

    final String groupId() {
        return groupId;
    }

    abstract GroupType type();

    /** The state as ListGroups and DescribeGroups name it; {@link GroupState#DEAD} once removed. */
    abstract GroupState state();

    /** The protocol type ListGroups reports ({@code consumer} for Kafka consumers); empty if none yet. */
    abstract Optional<String> protocolType();

    /** The number of members. */
    abstract int size();

    /** Whether the group has no members: such a group may be deleted, or converted to the other type. */
    abstract boolean isEmpty();

    /** Whether a member may be subscribed to the topic (OffsetDelete keeps such offsets). */
    abstract boolean isSubscribedTo(String topic);

    /** Cancels every timer of the group and its members (on delete, unload and coordinator close). */
    abstract void cancelTimers();

    final GroupOffsets offsets() {
        return offsets;
    }

    final boolean isDead() {
        return dead;
    }

    /** Only {@link Groups} calls this, when it removes the group from the coordinator. */
    final void markDead() {
        dead = true;
    }

    /** Whether the group holds nothing worth keeping: Kafka deletes such groups, and so do we, at once. */
    boolean isUnused() {
        return !dead && isEmpty() && offsets.isEmpty();
    }

    /** Completes a response once the group's monitor is released (see the class comment). */
    final <T> void complete(CompletableFuture<T> response, T value) {
        completions.add(() -> response.complete(value));
    }

    final List<Runnable> drainCompletions() {
        List<Runnable> drained = List.copyOf(completions);
        completions.clear();
        return drained;
    }
}
