package dev.tributary.broker.replication;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * What a write must reach before it is acknowledged as committed: its partition's in-sync replicas. The writers
 * that build their own batches (REST, the JCA adapter, its transactions) have no acks setting; they always wait as
 * a Kafka producer with {@code acks=all} does, so a record they acknowledge survives the leader's broker dying.
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
     * Blocks until every in-sync replica of each partition holds the records below its end offset.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException if that takes longer than {@code timeout}: the
     *         records are in the leader's log and may still be committed
     * @throws org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException if the ISR fell below
     *         {@code min.insync.replicas} meanwhile
     * @throws org.apache.kafka.common.errors.NotLeaderOrFollowerException if this broker stopped leading
     */
    void awaitReplicated(Map<TopicPartition, Long> endOffsets, Duration timeout);
}
