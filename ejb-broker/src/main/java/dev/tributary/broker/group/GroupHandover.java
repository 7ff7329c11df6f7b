package dev.tributary.broker.group;

import dev.tributary.broker.cluster.ClusterMembership;
import dev.tributary.broker.cluster.ClusterView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.protocol.Errors;

/**
 * Moves groups in and out of this coordinator as brokers join and leave: the groups {@link CoordinatorPlacement}
 * now places on another broker are unloaded (their parked joins and syncs answered NOT_COORDINATOR, their timers
 * cancelled, their cached offsets dropped); those it now places here are loaded from the shared stores (a classic
 * group Empty, with the offsets its previous coordinator committed; a consumer group with its members, epochs and
 * assignments, whose members carry on with this coordinator), and answered COORDINATOR_LOAD_IN_PROGRESS until they
 * are.
 *
 * <p>Each hand-over reads the membership's view when it runs, not the view a change notice carried: notices may
 * be handled out of order on a multi-threaded scheduler, and only the latest view counts. Hand-overs run one at a
 * time (this object's monitor). A failed load is retried every {@link #RETRY_LOAD_MS} ms; meanwhile only the groups
 * gained are refused, the others keep running.
 *
 * <p>Between two brokers' hand-overs both may briefly consider themselves a group's coordinator (each acts on its
 * own view of the data grid); a commit through the old one in that window is in the store but not in the new one's
 * cache. Kafka closes that window with its log's leader epochs; here the store does: committed offsets are written
 * under the coordinator's claim on the group in the metadata database (a write through a coordinator whose claim
 * another broker took fails with {@link CoordinationLostException}), and consumer groups' writes are versioned
 * ({@link ConsumerGroupStore}). Groups placed elsewhere are resigned at each hand-over, so their new coordinator
 * takes them at once.
 */
final class GroupHandover {

    private static final Logger LOG = Logger.getLogger(GroupHandover.class.getName());
    /** How soon a hand-over whose offsets could not be read tries again. */
    static final long RETRY_LOAD_MS = 2_000;

    private final Groups groups;
    private final GroupLoader loader;
    private final Consumer<Group> onUnload;
    private final Consumer<Group> onLoaded;
    private final ScheduledExecutorService scheduler;
    private volatile ClusterMembership membership;

    /**
     * @param onUnload runs under a group's monitor before it leaves this coordinator
     * @param onLoaded runs under a group's monitor once it is loaded (it starts the group's timers)
     */
    GroupHandover(Groups groups, GroupLoader loader, Consumer<Group> onUnload, Consumer<Group> onLoaded,
                  ScheduledExecutorService scheduler) {
        this.groups = groups;
        this.loader = loader;
        this.onUnload = onUnload;
        this.onLoaded = onLoaded;
        this.scheduler = scheduler;
    }

    /**
     * Follows {@code joined} from now on: the first hand-over runs on the caller's thread, later ones on the
     * scheduler after each view change (the membership's listeners must not block; a hand-over reads the store).
     */
    void follow(ClusterMembership joined) {
        membership = joined;
        joined.addListener(view -> later(0));
        handOver();
    }

    private void later(long delayMs) {
        try {
            scheduler.schedule(this::handOver, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            LOG.log(Level.FINE, "Not handing over groups: the scheduler is shut down", shuttingDown);
        }
    }

    synchronized void handOver() {
        if (groups.isClosed()) {
            return;
        }
        ClusterMembership current = membership;
        int selfId = current.self().id();
        ClusterView live = current.view();
        Set<Integer> candidates = CoordinatorPlacement.candidates(live);
        GroupOwnership before = groups.ownership();
        if (!before.loading() && before.samePlacement(selfId, candidates)) {
            return;
        }
        GroupOwnership next = before.handOver(selfId, candidates);
        groups.forgetLost();
        groups.unload(next, onUnload);
        Map<String, Group> stored;
        try {
            stored = loader.loadAll();
        } catch (OffsetStoreException | ConsumerGroupStoreException e) {
            LOG.log(Level.WARNING, "Cannot load the groups this broker now coordinates; trying again in "
                    + RETRY_LOAD_MS + " ms", e);
            later(RETRY_LOAD_MS);
            return;
        }
        int[] loaded = {0};
        List<String> elsewhere = new ArrayList<>();
        stored.forEach((groupId, group) -> {
            Errors refusal = next.refusal(groupId);
            if (refusal == Errors.COORDINATOR_LOAD_IN_PROGRESS) {
                groups.load(group, onUnload, onLoaded);
                loaded[0]++;
            } else if (refusal == Errors.NOT_COORDINATOR) {
                elsewhere.add(groupId);
            }
        });
        try {
            loader.resign(elsewhere); // their new coordinators take them at once, not after this session expires
        } catch (OffsetStoreException e) {
            LOG.log(Level.WARNING, "Could not hand over the coordination of " + elsewhere.size() + " group(s); their"
                    + " new coordinators take them once this broker's session expires", e);
        }
        groups.ownership(next.loaded());
        LOG.info(() -> "Group coordinator now serves the " + next.loaded() + "; loaded " + loaded[0]
                + " group(s) it gained");
    }
}
