package dev.tributary.broker.replication;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * The in-sync replicas of the partitions this broker leads, as {@link LeaderAppends} needs them for
 * {@code acks=all} ({@link ReplicaManager} keeps them).
 */
public interface InSyncReplicas {

    /**
     * Refuses a write before anything is appended.
     *
     * @throws org.apache.kafka.common.errors.NotLeaderOrFollowerException if this broker does not lead {@code tp}
     * @throws org.apache.kafka.common.errors.NotEnoughReplicasException   if the ISR is below
     *                                                                      {@code min.insync.replicas}
     */
    void checkEnoughReplicas(TopicPartition tp);

    /**
     * Completes once every in-sync replica of {@code tp} holds the records below {@code endOffset} (the high
     * watermark reached it); never times out by itself. Fails with
     * {@link org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException} if the ISR fell below
     * {@code min.insync.replicas} meanwhile, and with
     * {@link org.apache.kafka.common.errors.NotLeaderOrFollowerException} if this broker does not lead {@code tp}
     * or stops leading it first.
     */
    CompletableFuture<Void> awaitReplicated(TopicPartition tp, long endOffset);
}
