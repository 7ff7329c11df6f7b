package dev.tributary.broker.replication;

import dev.tributary.broker.cluster.ClusterMetrics;
import dev.tributary.broker.cluster.ClusterStanding;
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
 */
public final class ReplicaManager implements LeadershipListener, InSyncReplicas, AutoCloseable {

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
    private final Set<TopicPartition> pendingExpansions = ConcurrentHashMap.newKeySet();
    private final ExecutorService isrUpdates;
    private final ScheduledFuture<?> lagCheck;

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
        hosted.setLeadershipListener(this);
    }

    @Override
    public void leadershipChanged(PartitionLeadership leadership, PartitionLog log) {
        TopicPartition tp = leadership.topicPartition();
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
        fetchers.follow(tp, leadership.leader(), leadership.leaderEpoch(), log);
    }

    @Override
    public void replicaRemoved(TopicPartition partition) {
        fetchers.stopFollowing(partition);
        LeaderPartition leader = leaders.remove(partition);
        if (leader != null)
            leader.resign();
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
        lagCheck.cancel(false);
        fetchers.close();
        isrUpdates.shutdownNow();
        leaders.values().forEach(LeaderPartition::resign);
        leaders.clear();
    }
}
