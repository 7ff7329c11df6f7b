package dev.tributary.broker.replication;

import dev.tributary.broker.cluster.ClusterMetrics;
import dev.tributary.broker.cluster.ClusterStanding;
import dev.tributary.broker.log.CorruptBatch;
import dev.tributary.broker.log.CorruptionListener;
import dev.tributary.broker.log.LastGoodTruncation;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.topic.HostedReplicas;
import dev.tributary.broker.topic.LeadershipListener;
import dev.tributary.broker.topic.LeadershipStore;
import dev.tributary.broker.topic.PartitionLeadership;
import dev.tributary.broker.topic.TopicAdministration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;

/**
 * This broker's part in replication: it leads some partitions and follows others, as the stored leadership says
 * ({@link LeadershipListener}). As leader it tracks its followers ({@link LeaderPartition}), moves the high
 * watermark, holds {@code acks=all} appends until the in-sync replicas have them, and changes the ISR in the
 * shared database: a follower that caught up joins, one that lags longer than {@code replica.lag.time.max.ms}
 * leaves. As follower it fetches from the leader ({@link ReplicaFetchers}).
 *
 * <p>ISR changes are compare-and-set writes fenced by the partition epoch ({@link LeadershipStore}): a leader that
 * the controller has replaced meanwhile cannot shrink the ISR to itself, so it can never again acknowledge an
 * {@code acks=all} write alone. They run on one thread of their own, off the request threads. A leader shrinks an
 * ISR only while it sees a majority of the registered brokers ({@link ClusterStanding#seesMajority}).
 *
 * <p>A leader fences itself: while its session in the metadata database is not current
 * ({@link ClusterStanding#sessionActive}) it refuses {@code acks=all} appends and acknowledges none of those it
 * holds, so it has stopped before the controller may give its partitions to another broker.
 *
 * <p><b>Corrupt replicas.</b> A local replica found to hold a corrupt batch ({@link CorruptionListener}; its log
 * refuses reads and writes meanwhile) is repaired from the others: first it leaves the ISR, so that no election can
 * make it leader with records missing — a leader hands its leadership to the first other in-sync replica at the next
 * leader epoch ({@link #withoutReplica}) — then, following, it truncates its log to the last good batch below the
 * damage and fetches the rest again; it rejoins the ISR once caught up, as any follower does. A replica that is its
 * partition's only in-sync one cannot be repaired from anyone: it stays out of service until an in-sync peer
 * appears or an operator truncates it ({@link #truncateToLastGood}). The steps run on the ISR thread and are retried
 * every {@code replica.fetch.backoff.ms} while the damage is there.
 */
public final class ReplicaManager implements LeadershipListener, InSyncReplicas, CorruptionListener, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ReplicaManager.class.getName());

    private final int brokerId;
    private final TopicAdministration topics;
    private final LeadershipStore store;
    private final ReplicationConfig config;
    private final ClusterStanding standing;
    private final ClusterMetrics metrics;
    private final Clock clock;
    private final ReplicaFetchers fetchers;
    private final Map<TopicPartition, LeaderPartition> leaders = new ConcurrentHashMap<>();
    /** Every local replica with its latest leadership; changed with {@link #replicaLock} held. */
    private final Map<TopicPartition, LocalReplica> local = new ConcurrentHashMap<>();
    /**
     * Held by every change of what a local replica does (lead, follow, stop) and by a corrupt replica's repair, so
     * that a repair never works from leadership that changed under it. Taken after the topics' admin lock.
     */
    private final Object replicaLock = new Object();
    private final Set<TopicPartition> pendingExpansions = ConcurrentHashMap.newKeySet();
    private final ExecutorService isrUpdates;
    private final ScheduledFuture<?> lagCheck;
    private final ScheduledFuture<?> corruptionCheck;

    /** A replica this broker holds: its partition's leadership as last heard, and its log. */
    private record LocalReplica(PartitionLeadership leadership, PartitionLog log) {
    }

    /**
     * Starts as the {@link LeadershipListener} of {@code hosted}, which at once tells it the leadership of every
     * local replica.
     *
     * @param topics where ISR changes this broker stored, or lost a race for, are applied
     */
    public ReplicaManager(HostedReplicas hosted, TopicAdministration topics, LeadershipStore store,
                          ReplicationConfig config, ClusterStanding standing, ClusterMetrics metrics, Clock clock,
                          ScheduledExecutorService scheduler, Function<Integer, String> brokerAddresses) {
        this.brokerId = hosted.brokerId();
        this.topics = topics;
        this.store = store;
        this.config = config;
        this.standing = standing;
        this.metrics = metrics;
        this.clock = clock;
        this.fetchers = new ReplicaFetchers(brokerId, config, brokerAddresses);
        this.isrUpdates = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tributary-isr-updates");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(100, config.replicaLagTimeMaxMs() / 2);
        this.lagCheck = scheduler.scheduleWithFixedDelay(this::shrinkLaggingIsrs, period, period,
                TimeUnit.MILLISECONDS);
        long retry = Math.max(100, config.replicaFetchBackoffMs());
        this.corruptionCheck = scheduler.scheduleWithFixedDelay(this::repairCorruptReplicas, retry, retry,
                TimeUnit.MILLISECONDS);
        hosted.setLeadershipListener(this);
    }

    @Override
    public void leadershipChanged(PartitionLeadership leadership, PartitionLog log) {
        synchronized (replicaLock) {
            changeLeadership(leadership, log);
        }
    }

    private void changeLeadership(PartitionLeadership leadership, PartitionLog log) {
        TopicPartition tp = leadership.topicPartition();
        if (log != null)
            local.put(tp, new LocalReplica(leadership, log));
        else
            local.remove(tp);
        LeaderPartition current = leaders.get(tp);
        if (log != null && leadership.leader() == brokerId) {
            if (current != null && current.leadership().leaderEpoch() == leadership.leaderEpoch()) {
                current.updateIsr(leadership);
                return;
            }
            fetchers.stopFollowing(tp);
            if (current != null)
                current.resign();
            leaders.put(tp, new LeaderPartition(brokerId, leadership, log, clock.millis(), standing::sessionActive));
            // A partition's only replica always leads: not news worth a line per partition at every start.
            LOG.log(leadership.replicas().size() > 1 ? Level.INFO : Level.FINE, () -> "Broker " + brokerId + " leads "
                    + tp + " at leader epoch " + leadership.leaderEpoch() + ", ISR " + leadership.isr());
            if (log.corruption().isPresent())
                isrUpdates.execute(() -> repair(tp, false));
            return;
        }
        if (current != null) {
            leaders.remove(tp);
            current.resign();
        }
        if (log == null || !leadership.hasLeader()) {
            fetchers.stopFollowing(tp);
            return;
        }
        log.setHighWatermarkFollowsLogEnd(false);
        if (log.corruption().isPresent()) {
            fetchers.stopFollowing(tp); // nothing to append to until it is repaired
            isrUpdates.execute(() -> repair(tp, false));
            return;
        }
        fetchers.follow(tp, leadership.leader(), leadership.leaderEpoch(), log);
    }

    @Override
    public void replicaRemoved(TopicPartition partition) {
        synchronized (replicaLock) {
            local.remove(partition);
            fetchers.stopFollowing(partition);
            LeaderPartition leader = leaders.remove(partition);
            if (leader != null)
                leader.resign();
        }
    }

    // ---- corrupt replicas ----

    /** A local replica's log was found to hold a corrupt batch: its repair starts on the ISR thread. */
    @Override
    public void corruptionFound(TopicPartition partition, CorruptBatch damage) {
        isrUpdates.execute(() -> repair(partition, true));
    }

    /** Retries the repair of every local replica that still holds damage. */
    private void repairCorruptReplicas() {
        for (Map.Entry<TopicPartition, LocalReplica> replica : local.entrySet()) {
            if (replica.getValue().log().corruption().isPresent())
                isrUpdates.execute(() -> repair(replica.getKey(), false));
        }
    }

    /**
     * One step of a corrupt replica's repair, on the ISR thread: out of the ISR if it is in, else truncate and fetch
     * again if it follows a leader.
     *
     * @param firstAttempt whether to say at WARNING that nothing can be done yet (later attempts say it at FINE)
     */
    private void repair(TopicPartition tp, boolean firstAttempt) {
        try {
            LocalReplica replica = local.get(tp);
            if (replica == null || replica.log().corruption().isEmpty())
                return;
            PartitionLeadership current = replica.leadership();
            if (current.isr().contains(brokerId)) {
                leaveIsr(current, firstAttempt);
                return;
            }
            synchronized (replicaLock) {
                LocalReplica now = local.get(tp);
                if (now == null || now.log().corruption().isEmpty() || now.leadership().isr().contains(brokerId)
                        || !now.leadership().hasLeader() || now.leadership().leader() == brokerId)
                    return; // changed meanwhile, or no leader to fetch from yet: a later attempt goes on
                PartitionLeadership following = now.leadership();
                fetchers.stopFollowing(tp);
                now.log().truncateToLastGood();
                LOG.info(() -> "Broker " + brokerId + " fetches the rest of " + tp + " again from broker "
                        + following.leader() + " after cutting its corrupt replica back to its last good batch");
                fetchers.follow(tp, following.leader(), following.leaderEpoch(), now.log());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Repairing the corrupt replica of " + tp + " failed; will retry", e);
        }
    }

    /** The corrupt replica leaves the ISR (handing over leadership if it leads), if any other replica is in sync. */
    private void leaveIsr(PartitionLeadership current, boolean firstAttempt) {
        TopicPartition tp = current.topicPartition();
        Optional<PartitionLeadership> without = withoutReplica(current, brokerId);
        if (without.isEmpty()) {
            LOG.log(firstAttempt ? Level.WARNING : Level.FINE, () -> "The replica of " + tp + " on broker "
                    + brokerId + " is corrupt and the partition's only in-sync replica: the partition stays offline"
                    + " until an in-sync replica appears or an operator truncates it to its last good batch");
            return;
        }
        PartitionLeadership changed = without.get();
        if (store.compareAndSet(current, changed)) {
            LOG.warning(() -> "The replica of " + tp + " on broker " + brokerId + " is corrupt: it left the ISR, now "
                    + changed.isr() + (current.leader() == brokerId ? ", and handed leadership to broker "
                    + changed.leader() + " at leader epoch " + changed.leaderEpoch() : ""));
            topics.updateLeadership(changed); // the change comes back through leadershipChanged
        } else {
            topics.refresh(); // lost a race: the next attempt works from what won
        }
    }

    /**
     * {@code current} without {@code brokerId} among the in-sync replicas; if it led, the first other in-sync
     * replica in replica order leads at the next leader epoch. Empty if no other replica is in sync.
     */
    static Optional<PartitionLeadership> withoutReplica(PartitionLeadership current, int brokerId) {
        List<Integer> isr = current.isr().stream().filter(replica -> replica != brokerId).toList();
        if (isr.isEmpty())
            return Optional.empty();
        if (current.leader() != brokerId)
            return Optional.of(current.withIsr(isr));
        int next = current.replicas().stream().filter(isr::contains).findFirst().orElse(isr.get(0));
        return Optional.of(current.withLeader(next, isr));
    }

    /**
     * The operator's way out for a corrupt replica that cannot be repaired from another one: truncates the local
     * replica of {@code tp} to its last good batch ({@link PartitionLog#truncateToLastGood()}) and puts it back in
     * service. As leader of a partition with other replicas it first moves to the next leader epoch, so that
     * followers holding records past the cut find out and cut theirs too, and it stamps its next appends with that
     * epoch; as follower it fetches again from its leader.
     *
     * @return what was cut; empty if the replica holds no damage
     * @throws NotLeaderOrFollowerException if this broker holds no replica of {@code tp}
     */
    public Optional<LastGoodTruncation> truncateToLastGood(TopicPartition tp) {
        LocalReplica replica = local.get(tp);
        if (replica == null)
            throw new NotLeaderOrFollowerException("Broker " + brokerId + " holds no replica of " + tp);
        if (replica.log().corruption().isEmpty())
            return Optional.empty();
        PartitionLeadership leadership = replica.leadership();
        if (leadership.leader() == brokerId && leadership.replicas().size() > 1) {
            PartitionLeadership nextEpoch = leadership.withLeader(brokerId, leadership.isr());
            if (!store.compareAndSet(leadership, nextEpoch)) {
                topics.refresh();
                throw new NotLeaderOrFollowerException("The leadership of " + tp + " changed meanwhile; try again");
            }
            topics.updateLeadership(nextEpoch);
        }
        synchronized (replicaLock) {
            LocalReplica now = local.get(tp);
            if (now == null)
                throw new NotLeaderOrFollowerException("Broker " + brokerId + " holds no replica of " + tp);
            boolean following = now.leadership().hasLeader() && now.leadership().leader() != brokerId;
            if (following)
                fetchers.stopFollowing(tp);
            Optional<LastGoodTruncation> done = now.log().truncateToLastGood();
            if (now.leadership().leader() == brokerId)
                now.log().assignLeaderEpoch(now.leadership().leaderEpoch());
            else if (following)
                fetchers.follow(tp, now.leadership().leader(), now.leadership().leaderEpoch(), now.log());
            return done;
        }
    }

    /**
     * @throws NotLeaderOrFollowerException if this broker does not lead the partition
     * @throws org.apache.kafka.common.errors.NotEnoughReplicasException if its ISR is below
     *                                                                   {@code min.insync.replicas}
     */
    @Override
    public void checkEnoughReplicas(TopicPartition tp) {
        LeaderPartition leader = leader(tp);
        if (!standing.sessionActive())
            throw LeaderPartition.fenced(brokerId, tp);
        leader.checkEnoughReplicas();
    }

    /** See {@link LeaderPartition#awaitReplicated}. */
    @Override
    public CompletableFuture<Void> awaitReplicated(TopicPartition tp, long endOffset) {
        LeaderPartition leader = leaders.get(tp);
        if (leader == null)
            return CompletableFuture.failedFuture(notLeader(tp));
        return leader.awaitReplicated(endOffset);
    }

    /**
     * Checks a follower's fetch before it reads: this broker must lead the partition at the epoch the follower
     * believes current.
     */
    public PartitionLog checkFollowerFetch(TopicPartition tp, int replicaId, int followerEpoch) {
        LeaderPartition leader = leader(tp);
        leader.checkFollower(replicaId, followerEpoch);
        return leader.log();
    }

    /**
     * A follower fetched from {@code fetchOffset}: its log ends there. It may join the ISR if it caught up and its
     * session is live ({@link ClusterStanding#isLive}): one cut off from the database may still fetch, but the
     * controller has removed it and would remove it again.
     */
    public void followerFetched(TopicPartition tp, int replicaId, long fetchOffset) {
        LeaderPartition leader = leaders.get(tp);
        if (leader != null && leader.followerFetched(replicaId, fetchOffset, clock.millis())
                && standing.isLive(replicaId) && pendingExpansions.add(tp))
            isrUpdates.execute(() -> expandIsr(leader, replicaId));
    }

    private void expandIsr(LeaderPartition leader, int replicaId) {
        try {
            PartitionLeadership current = leader.leadership();
            if (current.isr().contains(replicaId) || leaders.get(leader.topicPartition()) != leader)
                return;
            List<Integer> isr = new ArrayList<>(current.isr());
            isr.add(replicaId);
            changeIsr(current, isr, "follower " + replicaId + " caught up");
        } finally {
            pendingExpansions.remove(leader.topicPartition());
        }
    }

    private void shrinkLaggingIsrs() {
        if (!standing.seesMajority())
            return; // the lag may be this broker's own isolation: the controller decides once one is elected
        long now = clock.millis();
        for (LeaderPartition leader : leaders.values()) {
            List<Integer> lagging = leader.laggingFollowers(now, config.replicaLagTimeMaxMs());
            if (lagging.isEmpty())
                continue;
            isrUpdates.execute(() -> {
                PartitionLeadership current = leader.leadership();
                List<Integer> isr = current.isr().stream().filter(replica -> !lagging.contains(replica)).toList();
                if (!isr.equals(current.isr()) && leaders.get(leader.topicPartition()) == leader)
                    changeIsr(current, isr, "followers " + lagging + " lag more than "
                            + config.replicaLagTimeMaxMs() + " ms");
            });
        }
    }

    /** On the ISR thread: compare-and-set, then apply here; a lost race reloads what won. */
    private void changeIsr(PartitionLeadership current, List<Integer> isr, String why) {
        try {
            PartitionLeadership changed = current.withIsr(isr);
            if (store.compareAndSet(current, changed)) {
                metrics.leadershipWritten(1);
                LOG.info(() -> "ISR of " + current.topicPartition() + " is now " + isr + " (was " + current.isr()
                        + "): " + why);
                topics.updateLeadership(changed);
            } else {
                LOG.fine(() -> "ISR change of " + current.topicPartition() + " lost a race; reloading");
                topics.refresh();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not change the ISR of " + current.topicPartition() + " to " + isr, e);
        }
    }

    private LeaderPartition leader(TopicPartition tp) {
        LeaderPartition leader = leaders.get(tp);
        if (leader == null)
            throw notLeader(tp);
        return leader;
    }

    private NotLeaderOrFollowerException notLeader(TopicPartition tp) {
        return new NotLeaderOrFollowerException("Broker " + brokerId + " does not lead " + tp);
    }

    /** Partitions this broker follows, with the broker each is fetched from; for status and tests. */
    public Map<TopicPartition, Integer> following() {
        return fetchers.following();
    }

    @Override
    public void close() {
        corruptionCheck.cancel(false);
        lagCheck.cancel(false);
        fetchers.close();
        isrUpdates.shutdownNow();
        leaders.values().forEach(LeaderPartition::resign);
        leaders.clear();
    }
}
