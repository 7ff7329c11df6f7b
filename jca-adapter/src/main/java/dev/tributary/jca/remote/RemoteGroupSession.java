package dev.tributary.jca.remote;

import dev.tributary.jca.api.ConsumedRecord;
import dev.tributary.jca.spi.FetchedRecords;
import dev.tributary.jca.spi.GroupSession;
import dev.tributary.jca.spi.GroupSubscription;
import dev.tributary.jca.spi.PartitionId;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * An activation's membership in a consumer group of a remote broker, through stock Kafka consumers: one group
 * member, driven only by the activation's coordinating thread, whose partitions stay paused so that it never
 * fetches; and one group-less {@link PartitionFetcher} per assigned partition, which the worker delivering that
 * partition reads through.
 *
 * <p>Commits: a worker's commit is recorded here and sent by the coordinating thread on its next heartbeat (every
 * {@value #HEARTBEAT_MS} ms), before a rebalance gives the partitions up, and when the session closes. An offset is
 * thus still committed only after its record was delivered; a crash in between redelivers it (at-least-once).
 *
 * <p>Rebalances use the eager range protocol, as the in-VM coordinator's members do. When one starts, the
 * consumer's revocation callback runs the activation's {@code stopDeliveries} first, so no record of a revoked
 * partition is in delivery by the time another member can be assigned it.
 */
final class RemoteGroupSession implements GroupSession {

    private static final Logger LOG = Logger.getLogger(RemoteGroupSession.class.getName());
    private static final long HEARTBEAT_MS = 200;
    private static final Duration JOIN_POLL = Duration.ofMillis(100);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final RemoteCluster cluster;
    private final GroupSubscription subscription;
    private final KafkaConsumer<byte[], byte[]> member;
    private final Map<PartitionId, PartitionFetcher> fetchers = new ConcurrentHashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> pendingCommits = new ConcurrentHashMap<>();
    /** The current generation's partitions; empty from a revocation until the next assignment. */
    private volatile Set<PartitionId> owned = Set.of();
    private boolean assignmentCurrent;
    private Runnable stopDeliveries = () -> { };

    RemoteGroupSession(RemoteCluster cluster, GroupSubscription subscription) {
        this.cluster = cluster;
        this.subscription = subscription;
        this.member = new KafkaConsumer<>(cluster.clientConfig(Map.of(
                CommonClientConfigs.GROUP_ID_CONFIG, subscription.groupId(),
                CommonClientConfigs.CLIENT_ID_CONFIG, subscription.clientId(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, resetPolicy(subscription),
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName())),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        member.subscribe(subscription.topics(), new Rebalances());
    }

    static String resetPolicy(GroupSubscription subscription) {
        return subscription.fromEarliest() ? "earliest" : "latest";
    }

    /** Kafka's isolation.level for the subscription: the partition fetchers are the ones that read records. */
    static String isolationLevel(GroupSubscription subscription) {
        return subscription.readCommitted() ? "read_committed" : "read_uncommitted";
    }

    @Override
    public Set<PartitionId> ensureActive(Duration timeout) {
        stopDeliveries = () -> { }; // the activation stopped its workers before rejoining
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!assignmentCurrent) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("Could not join group " + subscription.groupId() + " at "
                        + cluster.bootstrapServers() + " within " + timeout);
            }
            pollMember(JOIN_POLL);
        }
        Set<PartitionId> assigned = owned;
        fetchers.entrySet().removeIf(fetcher -> {
            if (assigned.contains(fetcher.getKey())) {
                return false;
            }
            fetcher.getValue().close();
            return true;
        });
        return assigned;
    }

    @Override
    public boolean heartbeat(Runnable stopDeliveries) {
        this.stopDeliveries = stopDeliveries;
        if (!commitPending()) {
            return false;
        }
        pollMember(Duration.ZERO); // heartbeats themselves go from the consumer's own thread; this drives rebalances
        return assignmentCurrent;
    }

    @Override
    public Duration heartbeatInterval() {
        return Duration.ofMillis(HEARTBEAT_MS);
    }

    @Override
    public Map<PartitionId, Long> startOffsets(Set<PartitionId> partitions) {
        Set<TopicPartition> topicPartitions = partitions.stream().map(RemoteGroupSession::topicPartition)
                .collect(Collectors.toSet());
        Map<TopicPartition, Long> start = new HashMap<>();
        Set<TopicPartition> uncommitted = new HashSet<>();
        try {
            member.committed(topicPartitions, REQUEST_TIMEOUT).forEach((partition, committed) -> {
                if (committed == null) {
                    uncommitted.add(partition);
                } else {
                    start.put(partition, committed.offset());
                }
            });
            uncommitted.addAll(topicPartitions.stream().filter(p -> !start.containsKey(p)).toList());
            if (!uncommitted.isEmpty()) {
                start.putAll(subscription.fromEarliest() ? member.beginningOffsets(uncommitted, REQUEST_TIMEOUT)
                        : member.endOffsets(uncommitted, REQUEST_TIMEOUT));
            }
        } catch (KafkaException e) {
            throw new IllegalStateException("Could not read the start offsets of group " + subscription.groupId()
                    + ": " + e.getMessage(), e);
        }
        return start.entrySet().stream().collect(Collectors.toMap(
                entry -> new PartitionId(entry.getKey().topic(), entry.getKey().partition()), Map.Entry::getValue));
    }

    @Override
    public boolean commit(PartitionId partition, long nextOffset) {
        if (!owned.contains(partition)) {
            return false;
        }
        pendingCommits.merge(topicPartition(partition), new OffsetAndMetadata(nextOffset),
                (older, newer) -> newer.offset() > older.offset() ? newer : older);
        return true;
    }

    @Override
    public FetchedRecords fetch(PartitionId partition, long offset, int maxRecords, Duration maxWait)
            throws InterruptedException {
        PartitionFetcher fetcher = fetchers.computeIfAbsent(partition,
                p -> new PartitionFetcher(cluster, subscription, topicPartition(p), maxRecords));
        return fetcher.fetch(offset, maxWait);
    }

    @Override
    public void close() {
        try {
            commitPending();
        } finally {
            fetchers.values().forEach(PartitionFetcher::close);
            fetchers.clear();
            member.close(CloseOptions.timeout(CLOSE_TIMEOUT)); // sends LeaveGroup: the group rebalances at once
        }
    }

    /** @return false if the group has moved on (the offsets are dropped: their records will be redelivered) */
    private boolean commitPending() {
        if (pendingCommits.isEmpty()) {
            return true;
        }
        Map<TopicPartition, OffsetAndMetadata> batch = Map.copyOf(pendingCommits);
        try {
            member.commitSync(batch, REQUEST_TIMEOUT);
            batch.forEach(pendingCommits::remove); // removes an entry only if no newer offset replaced it
            return true;
        } catch (CommitFailedException | RebalanceInProgressException moved) {
            LOG.fine(() -> "Group " + subscription.groupId() + " rebalanced before " + batch + " was committed");
            batch.forEach(pendingCommits::remove);
            return false;
        } catch (KafkaException e) {
            LOG.log(Level.WARNING, "Could not commit " + batch + " for group " + subscription.groupId()
                    + "; retrying with the next heartbeat", e);
            return true;
        }
    }

    private void pollMember(Duration timeout) {
        try {
            member.poll(timeout); // every partition is paused: this returns no records
        } catch (KafkaException e) {
            throw new IllegalStateException("Group " + subscription.groupId() + " at " + cluster.bootstrapServers()
                    + ": " + e.getMessage(), e);
        }
    }

    private static TopicPartition topicPartition(PartitionId partition) {
        return new TopicPartition(partition.topic(), partition.partition());
    }

    private static Set<PartitionId> partitionIds(Collection<TopicPartition> partitions) {
        return partitions.stream().map(p -> new PartitionId(p.topic(), p.partition())).collect(Collectors.toSet());
    }

    /** Runs inside {@link #pollMember}, on the coordinating thread. */
    private final class Rebalances implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            stopDeliveries.run();
            assignmentCurrent = false;
            commitPending(); // the last delivered offsets, so the next owner starts right after them
            owned = Set.of();
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            stopDeliveries.run();
            assignmentCurrent = false;
            owned = Set.of();
            pendingCommits.clear(); // the generation is gone: these records go to the partitions' new owners
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            member.pause(member.assignment());
            owned = Set.copyOf(partitionIds(member.assignment()));
            assignmentCurrent = true;
        }
    }

    /** Records of one partition, read without a group from wherever the delivering worker asks. */
    private static final class PartitionFetcher {

        private final TopicPartition partition;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private long position = -1;

        PartitionFetcher(RemoteCluster cluster, GroupSubscription subscription, TopicPartition partition,
                         int maxRecords) {
            this.partition = partition;
            this.consumer = new KafkaConsumer<>(cluster.clientConfig(Map.of(
                    CommonClientConfigs.CLIENT_ID_CONFIG, subscription.clientId() + "-" + partition,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, resetPolicy(subscription),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel(subscription),
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxRecords)),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer.assign(List.of(partition));
        }

        /** Only the worker holding this partition's cursor calls this, so never two threads at once. */
        FetchedRecords fetch(long offset, Duration maxWait) throws InterruptedException {
            if (offset != position) {
                consumer.seek(partition, offset);
            }
            try {
                List<ConsumedRecord> records = consumer.poll(maxWait).records(partition).stream()
                        .map(KafkaRecords::toConsumedRecord).toList();
                // After an out-of-range offset the consumer resets to the subscription's start; report where.
                position = records.isEmpty() ? consumer.position(partition, maxWait)
                        : records.get(records.size() - 1).offset() + 1;
                return new FetchedRecords(records, position);
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedException("Interrupted while fetching " + partition);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                position = -1;
                return new FetchedRecords(List.of(), offset);
            } catch (KafkaException e) {
                position = -1;
                throw new IllegalStateException("Could not fetch " + partition + ": " + e.getMessage(), e);
            }
        }

        void close() {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
    }
}
