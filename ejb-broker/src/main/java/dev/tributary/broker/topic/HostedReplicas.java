package dev.tributary.broker.topic;

import dev.tributary.broker.log.CorruptBatch;
import dev.tributary.broker.log.LogConfig;
import dev.tributary.broker.log.LogCorruptionException;
import dev.tributary.broker.log.LogManager;
import dev.tributary.broker.log.PartitionLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The logs of the replicas this broker hosts (what Kafka's {@code ReplicaManager} keeps as its hosted partitions):
 * the leader's log that clients read and write, every local replica's log for replication, and which of them are
 * offline.
 *
 * <p>This broker holds a log only for the partitions that list it as a replica. {@link #leaderLog} is the leader's
 * log: on any other broker it throws {@link NotLeaderOrFollowerException}, which Kafka clients answer by refreshing
 * their metadata. A partition whose log could not be opened (corrupt, or its directory could not be created) stays
 * offline: its lookups throw {@link KafkaStorageException} while the other partitions keep working. So does one
 * whose open log carries a corrupt batch ({@link PartitionLog#corruption()}): its lookups throw
 * {@link LogCorruptionException}, naming the damage, until the replica is repaired.
 *
 * <p>Lookups are lock-free and sit on every produce and fetch. The logs are opened, grown and deleted by
 * {@link TopicAdministration} under the admin lock, which tells the {@link LeadershipListener} (the replication
 * layer) through this class of every local replica's leadership, in the order of the changes.
 */
public final class HostedReplicas {

    private static final Logger LOG = Logger.getLogger(HostedReplicas.class.getName());

    private static final LeadershipListener NO_LISTENER = new LeadershipListener() {
        @Override
        public void leadershipChanged(PartitionLeadership leadership, PartitionLog log) {
        }

        @Override
        public void replicaRemoved(TopicPartition partition) {
        }
    };

    private final HostedTopics topics;
    private final LogManager logs;
    private final int brokerId;
    /** Written and called under the admin lock only; volatile for the lookups that do not hold it. */
    private volatile LeadershipListener leadershipListener = NO_LISTENER;

    HostedReplicas(HostedTopics topics, LogManager logs) {
        this.topics = topics;
        this.logs = logs;
        this.brokerId = topics.brokerId();
    }

    /** The broker these replicas are on. */
    public int brokerId() {
        return brokerId;
    }

    /**
     * Tells {@code listener} the leadership of every local replica now, then of every change.
     */
    public void setLeadershipListener(LeadershipListener listener) {
        synchronized (topics.adminLock()) {
            leadershipListener = listener;
            for (HostedTopic topic : topics.all())
                announceLeadership(topic, 0);
        }
    }

    /**
     * The log of one partition this broker leads, for clients' reads and writes.
     *
     * @throws UnknownTopicOrPartitionException if the topic or partition does not exist
     * @throws NotLeaderOrFollowerException     if another broker leads it, or none does now
     * @throws KafkaStorageException            if the partition is offline
     */
    public PartitionLog leaderLog(String topic, int partition) {
        return leaderLogOf(topics.get(topic), partition);
    }

    /**
     * The log of one partition of the topic with this id, which this broker leads. The id and the log are read from
     * one snapshot of the topic, so a request naming a deleted topic's id never reaches a re-created topic of the
     * same name.
     *
     * @throws UnknownTopicIdException          if no topic has this id (any more)
     * @throws UnknownTopicOrPartitionException if the topic has no such partition
     * @throws NotLeaderOrFollowerException     if another broker leads it, or none does now
     * @throws KafkaStorageException            if the partition is offline
     */
    public PartitionLog leaderLog(Uuid topicId, int partition) {
        return leaderLogOf(topics.get(topicId), partition);
    }

    /**
     * This broker's replica of one partition, led here or elsewhere: for replication and for reads that may be
     * served by any replica.
     *
     * @throws UnknownTopicOrPartitionException if the topic or partition does not exist
     * @throws NotLeaderOrFollowerException     if this broker holds no replica of it
     * @throws KafkaStorageException            if the partition is offline
     */
    public PartitionLog replicaLog(String topic, int partition) {
        HostedTopic hosted = topics.get(topic);
        hosted.checkPartition(partition);
        if (!hosted.leadership()[partition].replicas().contains(brokerId))
            throw new NotLeaderOrFollowerException("Broker " + brokerId + " holds no replica of " + topic + "-"
                    + partition + "; its replicas are on " + hosted.leadership()[partition].replicas());
        return logOf(hosted, partition);
    }

    private PartitionLog leaderLogOf(HostedTopic hosted, int partition) {
        hosted.checkPartition(partition);
        PartitionLeadership leadership = hosted.leadership()[partition];
        if (leadership.leader() != brokerId) {
            throw new NotLeaderOrFollowerException("Broker " + brokerId + " does not lead " + hosted.name()
                    + "-" + partition + ": " + (leadership.hasLeader() ? "broker " + leadership.leader() + " does"
                    : "no in-sync replica is alive to lead it") + " (leader epoch " + leadership.leaderEpoch() + ")");
        }
        return logOf(hosted, partition);
    }

    private PartitionLog logOf(HostedTopic hosted, int partition) {
        PartitionLog log = hosted.logs()[partition];
        if (log == null) {
            throw new KafkaStorageException("Partition " + hosted.name() + "-" + partition + " is offline: "
                    + topics.offlineReason(new TopicPartition(hosted.name(), partition)));
        }
        Optional<CorruptBatch> damage = log.corruption();
        if (damage.isPresent())
            throw new LogCorruptionException(damage.get());
        return log;
    }

    /**
     * Partitions this broker leads whose in-sync replicas are fewer than their replicas (Kafka's
     * UnderReplicatedPartitions); offline partitions are not led and not counted here.
     */
    public int underReplicatedPartitionCount() {
        int count = 0;
        for (HostedTopic topic : topics.all()) {
            for (PartitionLeadership leadership : topic.leadership()) {
                if (leadership.leader() == brokerId && leadership.isr().size() < leadership.replicas().size())
                    count++;
            }
        }
        return count;
    }

    /** Partitions whose local log could not be opened, or that have no live in-sync replica to lead them. */
    public int offlinePartitionCount() {
        int leaderless = 0;
        for (HostedTopic topic : topics.all()) {
            for (PartitionLeadership leadership : topic.leadership()) {
                if (!leadership.hasLeader())
                    leaderless++;
            }
        }
        return logs.offlinePartitions().size() + leaderless;
    }

    // What follows changes the local replicas: called by TopicAdministration with the admin lock held.

    /** The partitions that have a directory in the data directory, read once per change. */
    Set<TopicPartition> partitionsOnDisk() {
        return logs.partitionsOnDisk();
    }

    /**
     * Opens the existing logs of this broker's replicas of {@code stored} side by side ({@link LogManager#openLogs}),
     * so that {@link #host} then finds them open: after a crash, recovering them is most of a start, and one
     * partition after the other would add up their times. The broker serves once every one is done, as Kafka's
     * does: a partition is not hosted before its topic is. Before the topics are published.
     */
    void openExistingLogs(List<TopicRecord> stored, Map<TopicPartition, PartitionLeadership> leadership,
                          Set<TopicPartition> onDisk) {
        List<LogManager.LogToOpen> wanted = new ArrayList<>();
        for (TopicRecord topic : stored) {
            LogConfig config = HostedTopic.effectiveConfig(topic.configOverrides());
            for (int p = 0; p < topic.partitions(); p++) {
                TopicPartition tp = new TopicPartition(topic.name(), p);
                PartitionLeadership partition = leadership.get(tp);
                if (partition != null && partition.replicas().contains(brokerId) && onDisk.contains(tp))
                    wanted.add(new LogManager.LogToOpen(tp, config, partition.replicas().size() == 1));
            }
        }
        logs.openLogs(wanted);
    }

    /**
     * {@code topic} as this broker hosts it: a log is opened (or created, if {@code fresh}: new to the metadata)
     * for each partition with a replica here. Admin lock held, or before the topics are published.
     */
    HostedTopic host(TopicRecord topic, Map<TopicPartition, PartitionLeadership> leadership, boolean fresh,
                     Set<TopicPartition> onDisk) {
        LogConfig config = HostedTopic.effectiveConfig(topic.configOverrides());
        HostedTopic empty = new HostedTopic(topic.withPartitions(0), config, new PartitionLog[0],
                new PartitionLeadership[0]);
        return grow(empty, topic, leadership, onDisk, fresh);
    }

    /**
     * {@code topic} with the partitions it has in {@code grown} but not yet; logs are created for those with a
     * replica here. Admin lock held.
     */
    HostedTopic grow(HostedTopic topic, TopicRecord grown, Map<TopicPartition, PartitionLeadership> leadership,
                     Set<TopicPartition> onDisk) {
        return grow(topic, grown, leadership, onDisk, true);
    }

    private HostedTopic grow(HostedTopic topic, TopicRecord grown,
                             Map<TopicPartition, PartitionLeadership> leadership, Set<TopicPartition> onDisk,
                             boolean fresh) {
        int current = topic.partitionCount();
        PartitionLog[] partitionLogs = Arrays.copyOf(topic.logs(), grown.partitions());
        PartitionLeadership[] partitionLeadership = Arrays.copyOf(topic.leadership(), grown.partitions());
        for (int p = current; p < grown.partitions(); p++) {
            TopicPartition tp = new TopicPartition(grown.name(), p);
            PartitionLeadership stored = leadership.get(tp);
            // A partition whose leadership is not stored yet (another broker is adding it right now) is
            // leaderless here until the next refresh reads it.
            partitionLeadership[p] = stored != null ? stored
                    : new PartitionLeadership(grown.name(), p, List.of(), PartitionLeadership.NO_LEADER, -1,
                            List.of(), -1);
            if (partitionLeadership[p].replicas().contains(brokerId)) {
                try {
                    partitionLogs[p] = openLog(tp, topic.config(), fresh, onDisk,
                            partitionLeadership[p].replicas().size() == 1);
                } catch (KafkaStorageException e) {
                    // The partition stays offline until a restart creates its directory.
                    LOG.log(Level.SEVERE, "Partition " + tp + " is offline: " + e.getMessage(), e);
                }
            }
        }
        return new HostedTopic(topic.record().withPartitions(grown.partitions()), topic.config(), partitionLogs,
                partitionLeadership);
    }

    /**
     * Opens a partition's log, or creates it if it is {@code fresh} (new to the metadata) or has no directory yet.
     *
     * @param soleReplica whether this is the partition's only replica, whose high watermark is its log end; a
     *                    replicated partition's log reopens at its checkpointed high watermark, which only the
     *                    in-sync replicas move
     * @return the log, or {@code null} if it is corrupt (the partition is then offline)
     */
    private PartitionLog openLog(TopicPartition tp, LogConfig config, boolean fresh, Set<TopicPartition> onDisk,
                                 boolean soleReplica) {
        if (onDisk.contains(tp) && !fresh && logs.log(tp).isEmpty() && logs.openFailure(tp).isPresent())
            return null; // openExistingLogs tried it and logged why
        try {
            if (onDisk.contains(tp) && fresh) {
                // Left behind by a delete that crashed before its files were gone: it is not this topic's data.
                LOG.warning(() -> "Removing stale directory of a deleted topic before creating " + tp);
                logs.deleteLog(tp);
            }
            return onDisk.contains(tp) && !fresh ? logs.openLog(tp, config, soleReplica)
                    : logs.createLog(tp, config);
        } catch (LogCorruptionException e) {
            LOG.log(Level.SEVERE, "Partition " + tp + " is offline: " + e.getMessage());
            return null;
        }
    }

    /** Gives every local replica of {@code topic} its topic's (changed) configuration. Admin lock held. */
    void reconfigure(HostedTopic topic) {
        for (PartitionLog log : topic.logs()) {
            if (log != null)
                log.updateConfig(topic.config());
        }
    }

    /** Tells the listener the leadership of the local replicas from {@code fromPartition} on. Admin lock held. */
    void announceLeadership(HostedTopic topic, int fromPartition) {
        for (int p = fromPartition; p < topic.partitionCount(); p++)
            leadershipChanged(topic, p);
    }

    /** Tells the listener of the partition's (changed) leadership if this broker holds a replica. Admin lock held. */
    void leadershipChanged(HostedTopic topic, int partition) {
        PartitionLeadership leadership = topic.leadership()[partition];
        if (leadership.replicas().contains(brokerId))
            leadershipListener.leadershipChanged(leadership, topic.logs()[partition]);
    }

    /** Stops replicating and deletes the local replicas of a topic that is gone. Admin lock held. */
    void remove(HostedTopic topic) {
        for (int p = 0; p < topic.partitionCount(); p++) {
            TopicPartition tp = new TopicPartition(topic.name(), p);
            if (topic.leadership()[p].replicas().contains(brokerId)) {
                leadershipListener.replicaRemoved(tp);
                logs.deleteLog(tp);
            }
        }
    }

    /** Warns of partition directories that no known topic owns; they are left alone. */
    void reportOrphans(Set<TopicPartition> onDisk) {
        Set<TopicPartition> orphans = new TreeSet<>(Comparator.comparing(TopicPartition::toString));
        for (TopicPartition tp : onDisk) {
            HostedTopic topic = topics.find(tp.topic());
            if (topic == null || tp.partition() >= topic.partitionCount()) {
                orphans.add(tp);
            }
        }
        if (!orphans.isEmpty()) {
            LOG.warning(() -> "Data directory holds partitions no topic owns (left alone): " + orphans);
        }
    }
}
