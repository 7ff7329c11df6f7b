package dev.tributary.broker.replication;

import dev.tributary.broker.log.AppendListener;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.topic.PartitionLeadership;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownLeaderEpochException;

/**
 * A partition this broker leads: where each follower's replica has got to, the high watermark they make, and the
 * {@code acks=all} appends waiting for it (Kafka's Partition on the leader). The high watermark is the smallest
 * log end offset of the in-sync replicas, leader included; a follower's log end is the offset it fetches from.
 *
 * <p>Thread-safe: follower fetches, appends' waits and the lag check run on different threads and meet under this
 * object's lock, which guards only memory (database writes happen elsewhere, see {@link ReplicaManager}).
 */
final class LeaderPartition implements AppendListener {

    private final int brokerId;
    private final PartitionLog log;
    private final Map<Integer, Follower> followers = new HashMap<>();
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>();
    /** Whether this broker may acknowledge writes now: its session in the metadata database is current. */
    private final BooleanSupplier mayAcknowledge;
    private PartitionLeadership leadership;
    private boolean resigned;

    /** A follower's progress, as Kafka tracks it to decide whether it is caught up. */
    private static final class Follower {
        long logEndOffset = -1;
        long lastCaughtUpMs;
        long lastFetchMs;
        long leaderLogEndAtLastFetch = -1;

        Follower(long nowMs) {
            lastCaughtUpMs = nowMs; // as Kafka does: an in-sync follower gets a full lag period to show up
        }
    }

    private record Waiter(long offset, CompletableFuture<Void> future) implements Comparable<Waiter> {
        @Override
        public int compareTo(Waiter other) {
            return Long.compare(offset, other.offset);
        }
    }

    LeaderPartition(int brokerId, PartitionLeadership leadership, PartitionLog log, long nowMs,
                    BooleanSupplier mayAcknowledge) {
        this.brokerId = brokerId;
        this.mayAcknowledge = mayAcknowledge;
        this.log = log;
        this.leadership = leadership;
        for (int replica : leadership.replicas()) {
            if (replica != brokerId)
                followers.put(replica, new Follower(nowMs));
        }
        log.assignLeaderEpoch(leadership.leaderEpoch());
        log.addAppendListener(this);
        applyIsr();
    }

    TopicPartition topicPartition() {
        return log.topicPartition();
    }

    PartitionLog log() {
        return log;
    }

    synchronized PartitionLeadership leadership() {
        return leadership;
    }

    /** The same leader and epoch with another ISR (this broker's own change, or the controller's). */
    synchronized void updateIsr(PartitionLeadership changed) {
        leadership = changed;
        applyIsr();
    }

    /** With only the leader in sync, every append is at once replicated to the whole ISR. */
    private void applyIsr() {
        boolean alone = leadership.isr().equals(List.of(brokerId));
        log.setHighWatermarkFollowsLogEnd(alone);
        if (!alone)
            advanceHighWatermark();
    }

    /**
     * Checks a follower's view of the leader epoch, as Kafka does for replica fetches.
     *
     * @throws NotLeaderOrFollowerException if {@code replicaId} holds no replica of this partition
     * @throws FencedLeaderEpochException   if the follower's epoch is older: it has missed a leader change
     * @throws UnknownLeaderEpochException  if it is newer: this broker has not heard of the change yet
     */
    synchronized void checkFollower(int replicaId, int followerEpoch) {
        if (resigned || !followers.containsKey(replicaId))
            throw new NotLeaderOrFollowerException("Broker " + replicaId + " is not a follower of "
                    + topicPartition() + " at leader epoch " + leadership.leaderEpoch() + " (replicas "
                    + leadership.replicas() + ")");
        if (followerEpoch >= 0 && followerEpoch < leadership.leaderEpoch())
            throw new FencedLeaderEpochException("Leader epoch " + followerEpoch + " of follower " + replicaId
                    + " for " + topicPartition() + " is older than the current " + leadership.leaderEpoch());
        if (followerEpoch > leadership.leaderEpoch())
            throw new UnknownLeaderEpochException("Leader epoch " + followerEpoch + " of follower " + replicaId
                    + " for " + topicPartition() + " is newer than this leader's " + leadership.leaderEpoch());
    }

    /**
     * Records that {@code replicaId} fetches from {@code fetchOffset}, so its log ends there; advances the high
     * watermark if that was the slowest in-sync replica.
     *
     * @return whether the follower, not in the ISR, has caught up to the high watermark and may join it
     */
    synchronized boolean followerFetched(int replicaId, long fetchOffset, long nowMs) {
        Follower follower = followers.get(replicaId);
        if (follower == null || resigned)
            return false;
        long leaderLogEnd = log.logEndOffset();
        if (fetchOffset >= leaderLogEnd)
            follower.lastCaughtUpMs = nowMs;
        else if (fetchOffset >= follower.leaderLogEndAtLastFetch)
            follower.lastCaughtUpMs = Math.max(follower.lastCaughtUpMs, follower.lastFetchMs);
        follower.logEndOffset = fetchOffset;
        follower.lastFetchMs = nowMs;
        follower.leaderLogEndAtLastFetch = leaderLogEnd;
        if (leadership.isr().contains(replicaId)) {
            advanceHighWatermark();
            return false;
        }
        return fetchOffset >= log.highWatermark();
    }

    /** In-sync followers that have not caught up for longer than {@code maxLagMs}. */
    synchronized List<Integer> laggingFollowers(long nowMs, long maxLagMs) {
        List<Integer> lagging = new ArrayList<>();
        for (int replica : leadership.isr()) {
            Follower follower = followers.get(replica);
            if (follower != null && nowMs - follower.lastCaughtUpMs > maxLagMs)
                lagging.add(replica);
        }
        return lagging;
    }

    private void advanceHighWatermark() {
        long highWatermark = log.logEndOffset();
        for (int replica : leadership.isr()) {
            Follower follower = followers.get(replica);
            if (follower != null)
                highWatermark = Math.min(highWatermark, follower.logEndOffset);
        }
        if (highWatermark >= 0)
            log.updateHighWatermark(highWatermark); // tells onAppend if it rose
    }

    /**
     * @throws NotEnoughReplicasException if fewer replicas than {@code min.insync.replicas} are in sync, so an
     *                                    {@code acks=all} append would be refused before it is written
     */
    synchronized void checkEnoughReplicas() {
        int required = log.config().minInsyncReplicas();
        if (leadership.isr().size() < required)
            throw new NotEnoughReplicasException("Partition " + topicPartition() + " has " + leadership.isr().size()
                    + " in-sync replica(s) " + leadership.isr() + ", fewer than min.insync.replicas=" + required);
    }

    /**
     * Completes when every in-sync replica has the records below {@code endOffset} (the high watermark reached
     * it); fails if this broker stops leading first, or if the ISR shrank below {@code min.insync.replicas}
     * meanwhile (as Kafka does, with NOT_ENOUGH_REPLICAS_AFTER_APPEND).
     */
    CompletableFuture<Void> awaitReplicated(long endOffset) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        synchronized (this) {
            if (resigned) {
                future.completeExceptionally(notLeader());
                return future;
            }
            if (log.highWatermark() < endOffset) {
                waiters.add(new Waiter(endOffset, future));
                return future;
            }
        }
        complete(future);
        return future;
    }

    /** The high watermark rose: completes the waits it satisfies. */
    @Override
    public void onAppend(TopicPartition partition, long highWatermark) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (this) {
            while (!waiters.isEmpty() && waiters.peek().offset() <= highWatermark)
                done.add(waiters.poll().future());
        }
        done.forEach(this::complete); // outside the lock: completing runs the waiting responses' code
    }

    private void complete(CompletableFuture<Void> future) {
        if (!mayAcknowledge.getAsBoolean()) {
            future.completeExceptionally(fenced(brokerId, topicPartition()));
            return;
        }
        int required = log.config().minInsyncReplicas();
        int inSync = leadership().isr().size();
        if (inSync < required)
            future.completeExceptionally(new NotEnoughReplicasAfterAppendException("Partition " + topicPartition()
                    + " was written, but its in-sync replicas fell to " + inSync + ", below min.insync.replicas="
                    + required));
        else
            future.complete(null);
    }

    /** This broker no longer leads: waits fail, so producers retry on the new leader. */
    void resign() {
        List<Waiter> abandoned;
        synchronized (this) {
            resigned = true;
            abandoned = new ArrayList<>(waiters);
            waiters.clear();
        }
        log.removeAppendListener(this);
        abandoned.forEach(waiter -> waiter.future().completeExceptionally(notLeader()));
    }

    /**
     * A leader whose session is not current may have been replaced without knowing it: it acknowledges nothing
     * (the records stay in its log and are kept only if the partition's next leader has them too).
     */
    static NotLeaderOrFollowerException fenced(int brokerId, TopicPartition tp) {
        return new NotLeaderOrFollowerException("Broker " + brokerId + " cannot confirm that it still leads " + tp
                + ": its session in the metadata database is not current");
    }

    private NotLeaderOrFollowerException notLeader() {
        return new NotLeaderOrFollowerException("Broker " + brokerId + " no longer leads " + topicPartition());
    }
}
