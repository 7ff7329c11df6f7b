package dev.tributary.broker.group;

import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.common.protocol.Errors;

/**
 * Which groups this coordinator serves at one moment, and which of those it is still loading. Immutable:
 * {@link Groups} swaps it whole when the live brokers change ({@link GroupHandover}), and requests read it without
 * a lock.
 *
 * <p>A group is <em>loaded</em> when its in-memory state is the coordinator's to trust: it was served without a
 * break since its committed offsets were last read from the {@link OffsetStore}. A group gained from another broker
 * is not loaded until its offsets are read again (that broker committed meanwhile); requests for it are answered
 * COORDINATOR_LOAD_IN_PROGRESS until then, as Kafka answers while it reads an offsets partition.
 */
final class GroupOwnership {

    private static final GroupOwnership EVERY_GROUP = new GroupOwnership(-1, null, group -> true, false);

    private final int selfId;
    /** The brokers groups are placed on; null when this coordinator is alone and serves every group. */
    private final Set<Integer> candidates;
    /** Which served groups are loaded; consulted only while {@link #loading}. */
    private final Predicate<String> loaded;
    private final boolean loading;

    private GroupOwnership(int selfId, Set<Integer> candidates, Predicate<String> loaded, boolean loading) {
        this.selfId = selfId;
        this.candidates = candidates == null ? null : Set.copyOf(candidates);
        this.loaded = loaded;
        this.loading = loading;
    }

    /** A coordinator that has not joined a cluster: it serves every group, all loaded at open. */
    static GroupOwnership everyGroup() {
        return EVERY_GROUP;
    }

    /**
     * Broker {@code newSelfId} serves the groups placed on it among {@code newCandidates}; those not loaded
     * under this ownership are loading. A group loaded here stays loaded only if it is served there too: one that
     * leaves and comes back over several hand-overs was unloaded in between.
     *
     * <p>From {@link #everyGroup()} nothing stays loaded: the offsets read at open may be stale by the time the
     * broker joins, since until its peers see it they keep coordinating, and committing for, its future groups.
     */
    GroupOwnership handOver(int newSelfId, Set<Integer> newCandidates) {
        Predicate<String> stillLoaded = candidates == null ? group -> false : this::isLoaded;
        return new GroupOwnership(newSelfId, newCandidates, stillLoaded, true);
    }

    /** The same groups, all loaded. */
    GroupOwnership loaded() {
        return new GroupOwnership(selfId, candidates, group -> true, false);
    }

    boolean serves(String groupId) {
        if (candidates == null) {
            return true;
        }
        OptionalInt coordinator = CoordinatorPlacement.coordinatorId(groupId, candidates);
        return coordinator.isPresent() && coordinator.getAsInt() == selfId;
    }

    /** Whether some served groups may still be loading. */
    boolean loading() {
        return loading;
    }

    /** NONE if requests for the group may run here, else why not. */
    Errors refusal(String groupId) {
        if (!serves(groupId)) {
            return Errors.NOT_COORDINATOR;
        }
        return isLoaded(groupId) ? Errors.NONE : Errors.COORDINATOR_LOAD_IN_PROGRESS;
    }

    private boolean isLoaded(String groupId) {
        return serves(groupId) && (!loading || loaded.test(groupId));
    }

    /** Whether this places groups on the same brokers, as seen by the same broker. */
    boolean samePlacement(int otherSelfId, Set<Integer> otherCandidates) {
        return candidates != null && selfId == otherSelfId && candidates.equals(otherCandidates);
    }

    @Override
    public String toString() {
        return candidates == null ? "every group" : "groups of broker " + selfId + " among " + candidates
                + (loading ? " (loading)" : "");
    }
}
