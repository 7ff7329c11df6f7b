package dev.tributary.broker.replication;

import dev.tributary.broker.log.LogAppendInfo;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.topic.HostedReplicas;
import java.time.Duration;
import java.util.Collection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * The one way records are written to a partition this broker leads (Kafka's {@code ReplicaManager.appendRecords}),
 * for the Kafka Produce handler, REST and JCA writes ({@code RecordWriter}) and JCA transactions alike:
 *
 * <ol>
 *   <li>refuse before anything is written: the partition must exist and be led here (its log online), and for
 *       {@link RequiredAcks#ALL} its in-sync replicas must be at least {@code min.insync.replicas};</li>
 *   <li>append to the leader's log, without waiting for the fsync;</li>
 *   <li>hand back a {@link PendingAppend}, whose completion comes after the fsync {@code flush.messages} demands
 *       and, for {@link RequiredAcks#ALL}, once every in-sync replica holds the records, within a timeout.</li>
 * </ol>
 *
 * <p>Transaction markers, the control batches a transaction coordinator writes to end a transaction in a partition,
 * take the same path ({@link #appendTransactionMarker}), always as {@link RequiredAcks#ALL} writes.
 *
 * <p>Splitting the append from the waits lets a writer append to every partition it writes before it waits for
 * any (the fsyncs overlap and are shared), and lets the Produce handler release its connection in between.
 *
 * <p>Thread-safe and stateless: the log serializes appends to one partition, {@link InSyncReplicas} tracks the
 * replicas.
 */
public final class LeaderAppends {

    private final HostedReplicas replicas;
    private final InSyncReplicas inSync;

    public LeaderAppends(HostedReplicas replicas, InSyncReplicas inSync) {
        this.replicas = replicas;
        this.inSync = inSync;
    }

    /**
     * Appends {@code records} to the partition's leader log.
     *
     * @param timeout how long the completion waits for the in-sync replicas ({@link RequiredAcks#ALL})
     * @throws UnknownTopicOrPartitionException if the topic or the partition does not exist
     * @throws NotLeaderOrFollowerException     if this broker does not lead the partition
     * @throws KafkaStorageException            if the partition is offline
     * @throws NotEnoughReplicasException       for {@link RequiredAcks#ALL}, if the ISR is below
     *                                          {@code min.insync.replicas}; nothing is written then
     * @throws RuntimeException                 what the log's append refuses (invalid or too large records, an
     *                                          idempotent producer's sequence out of order, a full disk)
     */
    public PendingAppend append(TopicPartition partition, MemoryRecords records, RequiredAcks acks,
                                Duration timeout) {
        return append(partition, records, acks, timeout, AppendCheck.NONE);
    }

    /**
     * As {@link #append(TopicPartition, MemoryRecords, RequiredAcks, Duration)}, with {@code check} run on the leader
     * log before anything is written (a Produce request's KIP-890 transaction verification).
     *
     * @throws RuntimeException also what {@code check} throws; nothing is written then
     */
    public PendingAppend append(TopicPartition partition, MemoryRecords records, RequiredAcks acks,
                                Duration timeout, AppendCheck check) {
        return append(replicas.leaderLog(partition.topic(), partition.partition()), records, acks, timeout, check);
    }

    /**
     * Appends {@code records} to a partition of the topic with this id: the id and the log are read from one
     * snapshot of the topic, so an id of a deleted topic never writes to a re-created one of the same name.
     *
     * @throws UnknownTopicIdException if no topic has this id (any more); otherwise as
     *                                 {@link #append(TopicPartition, MemoryRecords, RequiredAcks, Duration)}
     */
    public PendingAppend append(Uuid topicId, int partition, MemoryRecords records, RequiredAcks acks,
                                Duration timeout) {
        return append(topicId, partition, records, acks, timeout, AppendCheck.NONE);
    }

    /** As {@link #append(Uuid, int, MemoryRecords, RequiredAcks, Duration)}, with {@code check} run first. */
    public PendingAppend append(Uuid topicId, int partition, MemoryRecords records, RequiredAcks acks,
                                Duration timeout, AppendCheck check) {
        return append(replicas.leaderLog(topicId, partition), records, acks, timeout, check);
    }

    private PendingAppend append(PartitionLog log, MemoryRecords records, RequiredAcks acks, Duration timeout,
                                 AppendCheck check) {
        refuseIfNotWritable(log.topicPartition(), acks);
        // Before anything is written: a transactional batch is verified here (KIP-890: the transaction coordinator
        // confirms the partition is part of the producer's ongoing transaction).
        check.check(log, records);
        LogAppendInfo appended = log.appendUnflushed(records);
        return new PendingAppend(log, appended, acks, timeout, inSync);
    }

    /**
     * A check of the leader log and the records before they are written; it refuses by throwing.
     */
    @FunctionalInterface
    public interface AppendCheck {
        AppendCheck NONE = (log, records) -> {
        };

        void check(PartitionLog log, MemoryRecords records);
    }

    /**
     * Appends a transaction coordinator's COMMIT or ABORT marker for {@code producerId} to the partition's leader log
     * ({@link PartitionLog#appendTransactionMarker}), acknowledged as an {@link RequiredAcks#ALL} write.
     *
     * @throws UnknownTopicOrPartitionException if the topic or the partition does not exist
     * @throws NotLeaderOrFollowerException     if this broker does not lead the partition
     * @throws RuntimeException                 what the log refuses: a stale producer or coordinator epoch
     */
    public PendingAppend appendTransactionMarker(TopicPartition partition, long producerId, short producerEpoch,
                                                 int coordinatorEpoch, boolean commit, Duration timeout) {
        PartitionLog log = replicas.leaderLog(partition.topic(), partition.partition());
        LogAppendInfo appended = log.appendTransactionMarker(producerId, producerEpoch, coordinatorEpoch,
                commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT);
        return new PendingAppend(log, appended, RequiredAcks.ALL, timeout, inSync);
    }

    /**
     * Refuses, before anything is written, what an append to any of {@code partitions} would refuse up front: for a
     * writer that must write all of them or none (a transaction's commit). The ISR may still shrink between this
     * check and the appends. For {@link RequiredAcks#ALL} the in-sync replicas are asked first, so a partition this
     * broker no longer leads (its topic deleted meanwhile, say) is refused with NOT_LEADER_OR_FOLLOWER.
     *
     * @throws RuntimeException as {@link #append(TopicPartition, MemoryRecords, RequiredAcks, Duration)} does
     *                          before it writes, for the first partition that fails
     */
    public void checkWritable(Collection<TopicPartition> partitions, RequiredAcks acks) {
        for (TopicPartition partition : partitions) {
            refuseIfNotWritable(partition, acks);
            replicas.leaderLog(partition.topic(), partition.partition());
        }
    }

    private void refuseIfNotWritable(TopicPartition partition, RequiredAcks acks) {
        if (acks == RequiredAcks.ALL)
            inSync.checkEnoughReplicas(partition);
    }

    /**
     * The pending acknowledgement of records a retried write found already in the partition's leader log (a
     * transaction committed again after a crash or a failed commit): awaited as a fresh append of them would be,
     * so a retry is never acknowledged sooner than the first attempt would have been.
     *
     * @param earlier where the records are, as the earlier append wrote them
     * @throws UnknownTopicOrPartitionException if the topic or the partition does not exist
     * @throws NotLeaderOrFollowerException     if this broker does not lead the partition
     * @throws KafkaStorageException            if the partition is offline
     */
    public PendingAppend appendedEarlier(TopicPartition partition, LogAppendInfo earlier, RequiredAcks acks,
                                         Duration timeout) {
        PartitionLog log = replicas.leaderLog(partition.topic(), partition.partition());
        return new PendingAppend(log, earlier, acks, timeout, inSync);
    }
}
