package dev.tributary.broker.topic;

import dev.tributary.broker.log.InvalidLogConfigException;
import dev.tributary.broker.log.LogConfig;
import dev.tributary.broker.log.LogCorruptionException;
import dev.tributary.broker.log.LogManager;
import dev.tributary.broker.log.PartitionLog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The topics of the cluster, the leadership of their partitions, and the logs of the replicas this broker holds.
 *
 * <p>Topics and leadership live in the shared metadata database; this broker holds a log only for the partitions
 * it has a replica of. {@link #partitionLog} (what clients read and write) is the leader's log: on any other
 * broker it throws {@link NotLeaderOrFollowerException}, which Kafka clients answer by refreshing their metadata.
 * Changes made by other brokers arrive through {@link #refresh()}; changes of leadership are passed on to a
 * {@link LeadershipListener} (the replication layer).
 *
 * <p>Lookups ({@link #partitionLog}, {@link #partitionCount}, {@link #topicName}) are lock-free and sit on every
 * produce and fetch. Administrative changes (create, add partitions, delete, alter) are serialized by one lock: they
 * are rare, and ordering them keeps the metadata store and the data directory in step. Metadata is committed before
 * files are created and before files are removed, so a crash in between leaves at worst an orphaned directory
 * (which {@link #open} reports) or a partition without a directory (which {@link #open} creates).
 *
 * <p>Every topic has a random Kafka topic id, given at creation and never reused: lookups by id
 * ({@link #partitionLog(Uuid, int)}) fail with {@link UnknownTopicIdException} once the topic is deleted, even if a
 * topic of the same name exists again.
 */
public final class TopicRegistry {

    private static final Logger LOG = Logger.getLogger(TopicRegistry.class.getName());

    private final TopicStore store;
    private final LogManager logs;
    private final Clock clock;
    private final int brokerId;
    private final LeadershipStore leadershipStore;
    private volatile Supplier<List<Integer>> liveBrokers;
    private volatile LeadershipListener leadershipListener = NO_LISTENER;
    private final Map<String, HostedTopic> topics = new ConcurrentHashMap<>();
    /**
     * Updated with {@link #topics} under the admin lock. A lock-free reader may find an entry whose name was just
     * deleted or re-created: {@link #hosted(Uuid)} checks the topic's own id.
     */
    private final Map<Uuid, String> namesById = new ConcurrentHashMap<>();
    private final Object adminLock = new Object();

    private static final LeadershipListener NO_LISTENER = new LeadershipListener() {
        @Override
        public void leadershipChanged(PartitionLeadership leadership, PartitionLog log) {
        }

        @Override
        public void replicaRemoved(TopicPartition partition) {
        }
    };

    private TopicRegistry(TopicStore store, LeadershipStore leadershipStore, LogManager logs, Clock clock,
                          int brokerId) {
        this.store = store;
        this.leadershipStore = leadershipStore;
        this.liveBrokers = () -> List.of(brokerId);
        this.logs = logs;
        this.clock = clock;
        this.brokerId = brokerId;
    }

    /**
     * Restores every stored topic and recovers its logs. A partition whose log is corrupt goes offline; the
     * others, and every other topic, keep working.
     */
    public static TopicRegistry open(TopicStore store, LeadershipStore leadershipStore, LogManager logs, Clock clock,
                                     int brokerId) {
        TopicRegistry registry = new TopicRegistry(store, leadershipStore, logs, clock, brokerId);
        Set<TopicPartition> onDisk = logs.partitionsOnDisk(); // one directory listing, not one per topic
        List<TopicRecord> stored = store.loadAll();
        Map<TopicPartition, PartitionLeadership> leadership = registry.leadershipOf(stored);
        for (TopicRecord topic : stored) {
            registry.topics.put(topic.name(), registry.host(topic, leadership, false, onDisk));
            registry.namesById.put(topic.topicId(), topic.name());
        }
        registry.reportOrphans(onDisk);
        return registry;
    }

    /**
     * The stored leadership of {@code stored}'s partitions. Partitions of topics created before leadership was
     * stored get this broker as their only replica: they were created by a broker alone, and their logs are here.
     */
    private Map<TopicPartition, PartitionLeadership> leadershipOf(List<TopicRecord> stored) {
        Map<TopicPartition, PartitionLeadership> byPartition = new HashMap<>();
        for (PartitionLeadership leadership : leadershipStore.loadAll())
            byPartition.put(leadership.topicPartition(), leadership);
        List<PartitionLeadership> missing = new ArrayList<>();
        for (TopicRecord topic : stored) {
            for (int p = 0; p < topic.partitions(); p++) {
                if (!byPartition.containsKey(new TopicPartition(topic.name(), p)))
                    missing.add(PartitionLeadership.initial(topic.name(), p, List.of(brokerId)));
            }
        }
        if (!missing.isEmpty()) {
            store.insertMissingLeadership(missing);
            for (PartitionLeadership leadership : leadershipStore.loadAll())
                byPartition.put(leadership.topicPartition(), leadership);
        }
        return byPartition;
    }

    /** Where the ids of the live brokers come from, for placing new replicas; until set, this broker alone. */
    public void liveBrokersFrom(Supplier<List<Integer>> liveBrokers) {
        this.liveBrokers = liveBrokers;
    }

    /**
     * Tells {@code listener} the leadership of every local replica now, then of every change.
     */
    public void setLeadershipListener(LeadershipListener listener) {
        synchronized (adminLock) {
            leadershipListener = listener;
            for (HostedTopic topic : topics.values()) {
                for (int p = 0; p < topic.leadership.length; p++) {
                    if (topic.leadership[p].replicas().contains(brokerId))
                        listener.leadershipChanged(topic.leadership[p], topic.logs[p]);
                }
            }
        }
    }

    public int brokerId() {
        return brokerId;
    }

    /** @throws InvalidReplicationFactorException if {@code rf} exceeds the live brokers */
    public void checkReplicationFactor(int rf) {
        ReplicaPlacement.checkReplicationFactor(rf, liveBrokers.get());
    }

    public TopicDescription create(NewTopic request) {
        List<Integer> live = liveBrokers.get();
        ReplicaPlacement.checkReplicationFactor(request.replicationFactor(), live);
        effectiveConfig(request.configs()); // validates before anything is stored
        synchronized (adminLock) {
            if (topics.containsKey(request.name())) {
                throw new TopicExistsException("Topic '" + request.name() + "' already exists");
            }
            TopicRecord topic = new TopicRecord(request.name(), unusedTopicId(), request.partitions(),
                    request.replicationFactor(), request.configs(), clock.instant());
            List<PartitionLeadership> partitions = initialLeadership(topic.name(), 0, topic.partitions(),
                    topic.replicationFactor(), live);
            store.insert(topic, partitions);
            HostedTopic hosted = host(topic, byPartition(partitions), true, logs.partitionsOnDisk());
            topics.put(topic.name(), hosted);
            namesById.put(topic.topicId(), topic.name());
            announceLeadership(hosted, 0);
            LOG.info(() -> "Created topic " + topic.name() + " (id " + topic.topicId() + ") with "
                    + topic.partitions() + " partition(s)");
            return describe(topic.name());
        }
    }

    /** Kafka's own rule: random, and never the id of a topic that exists (nor one of Kafka's reserved ids). */
    private Uuid unusedTopicId() {
        Uuid id = Uuid.randomUuid();
        while (namesById.containsKey(id)) {
            id = Uuid.randomUuid();
        }
        return id;
    }

    /** @return the id the topic had */
    public Uuid delete(String name) {
        synchronized (adminLock) {
            HostedTopic topic = hosted(name);
            delete(topic);
            return topic.record.topicId();
        }
    }

    /**
     * Deletes the topic with this id.
     *
     * @return its name
     * @throws UnknownTopicIdException if no topic has this id (any more)
     */
    public String delete(Uuid topicId) {
        synchronized (adminLock) {
            HostedTopic topic = hosted(topicId);
            delete(topic);
            return topic.record.name();
        }
    }

    private void delete(HostedTopic topic) {
        store.delete(topic.record.name());
        removeLocally(topic);
        LOG.info(() -> "Deleted topic " + topic.record.name() + " (id " + topic.record.topicId() + ")");
    }

    /** Forgets a topic deleted in the store (by this broker or another) and deletes its local replicas. */
    private void removeLocally(HostedTopic topic) {
        String name = topic.record.name();
        topics.remove(name);
        namesById.remove(topic.record.topicId());
        for (int p = 0; p < topic.logs.length; p++) {
            TopicPartition tp = new TopicPartition(name, p);
            if (topic.leadership[p].replicas().contains(brokerId)) {
                leadershipListener.replicaRemoved(tp);
                logs.deleteLog(tp);
            }
        }
    }

    /**
     * Grows the topic to {@code count} partitions (Kafka's CreatePartitions); partitions are never removed. The new
     * partitions start empty. Keys then hash over the new count, so a key's later records may land on another
     * partition than its earlier ones, as in Kafka.
     *
     * @param validateOnly check the request and change nothing
     * @return the topic as it is afterwards
     * @throws InvalidPartitionsException if {@code count} is not more than the current count or above
     *                                    {@link NewTopic#MAX_PARTITIONS}
     */
    public TopicDescription createPartitions(String name, int count, boolean validateOnly) {
        synchronized (adminLock) {
            HostedTopic topic = hosted(name);
            int current = topic.logs.length;
            if (count == current) {
                throw new InvalidPartitionsException("Topic '" + name + "' already has " + current + " partition(s)");
            }
            if (count < current) {
                throw new InvalidPartitionsException("Topic '" + name + "' has " + current + " partition(s); "
                        + count + " would not be an increase (partitions can be added, not removed)");
            }
            if (count > NewTopic.MAX_PARTITIONS) {
                throw new InvalidPartitionsException("partitions must be at most " + NewTopic.MAX_PARTITIONS
                        + ", was " + count);
            }
            if (validateOnly) {
                return describe(name);
            }
            List<PartitionLeadership> added = initialLeadership(name, current, count,
                    topic.record.replicationFactor(), liveBrokers.get());
            store.replacePartitionCount(name, count, added);
            HostedTopic grown = grow(topic, topic.record.withPartitions(count), byPartition(added),
                    logs.partitionsOnDisk());
            topics.put(name, grown);
            announceLeadership(grown, current);
            LOG.info(() -> "Topic " + name + " grew from " + current + " to " + count + " partitions");
            return describe(name);
        }
    }

    /**
     * Applies a merge patch of config overrides: a non-null value sets an override, a null value removes it (back
     * to the default). Validation happens before anything is stored, so a bad key changes nothing.
     */
    public TopicDescription alterConfigs(String name, Map<String, String> changes) {
        List<ConfigChange> asChanges = new ArrayList<>(changes.size());
        changes.forEach((key, value) ->
                asChanges.add(value == null ? ConfigChange.delete(key) : ConfigChange.set(key, value)));
        return alterConfigs(name, asChanges, false);
    }

    /**
     * Applies {@code changes} in order to the topic's config overrides (Kafka's IncrementalAlterConfigs), then
     * validates the result; only a valid result is stored.
     *
     * @param validateOnly check the changes and store nothing
     * @return the topic as it is afterwards
     * @throws InvalidConfigurationException if a change or the resulting configuration is invalid
     */
    public TopicDescription alterConfigs(String name, List<ConfigChange> changes, boolean validateOnly) {
        synchronized (adminLock) {
            HostedTopic topic = hosted(name);
            Map<String, String> overrides = new HashMap<>(topic.record.configOverrides());
            changes.forEach(change -> change.applyTo(overrides));
            return replaceOverrides(topic, overrides, validateOnly);
        }
    }

    /**
     * Makes {@code overrides} the topic's whole set of config overrides: every other override reverts to the
     * default (Kafka's legacy AlterConfigs).
     *
     * @param validateOnly check the overrides and store nothing
     * @return the topic as it is afterwards
     * @throws InvalidConfigurationException if the resulting configuration is invalid
     */
    public TopicDescription replaceConfigs(String name, Map<String, String> overrides, boolean validateOnly) {
        synchronized (adminLock) {
            return replaceOverrides(hosted(name), overrides, validateOnly);
        }
    }

    /** The one path by which configs change: validate, store, then reconfigure the logs. Admin lock held. */
    private TopicDescription replaceOverrides(HostedTopic topic, Map<String, String> overrides, boolean validateOnly) {
        String name = topic.record.name();
        LogConfig config = effectiveConfig(overrides);
        if (validateOnly) {
            return describe(name);
        }
        store.replaceConfigOverrides(name, overrides);
        HostedTopic updated = topic.withRecord(topic.record.withConfigOverrides(overrides));
        topics.put(name, updated);
        for (PartitionLog log : updated.logs) {
            if (log != null) {
                log.updateConfig(config);
            }
        }
        LOG.info(() -> "Config overrides of topic " + name + " are now " + overrides);
        return describe(name);
    }

    /**
     * Partitions this broker leads whose in-sync replicas are fewer than their replicas (Kafka's
     * UnderReplicatedPartitions); offline partitions are not led and not counted here.
     */
    public int underReplicatedPartitionCount() {
        int count = 0;
        for (HostedTopic topic : topics.values()) {
            for (PartitionLeadership leadership : topic.leadership) {
                if (leadership.leader() == brokerId && leadership.isr().size() < leadership.replicas().size())
                    count++;
            }
        }
        return count;
    }

    /** Partitions whose local log could not be opened, or that have no live in-sync replica to lead them. */
    public int offlinePartitionCount() {
        int leaderless = 0;
        for (HostedTopic topic : topics.values()) {
            for (PartitionLeadership leadership : topic.leadership) {
                if (!leadership.hasLeader())
                    leaderless++;
            }
        }
        return logs.offlinePartitions().size() + leaderless;
    }

    /**
     * Reloads topics and leadership from the store and applies what other brokers changed: new topics and
     * partitions get local replicas, deleted ones lose them, configs are re-applied, and changed leadership is
     * passed to the {@link LeadershipListener}. Idempotent: a reload that finds nothing new changes nothing.
     */
    public void refresh() {
        synchronized (adminLock) {
            List<TopicRecord> stored = store.loadAll();
            Map<TopicPartition, PartitionLeadership> leadership = new HashMap<>();
            for (PartitionLeadership partition : leadershipStore.loadAll())
                leadership.put(partition.topicPartition(), partition);
            Set<String> names = new HashSet<>();
            Set<TopicPartition> onDisk = null;
            for (TopicRecord record : stored) {
                names.add(record.name());
                HostedTopic current = topics.get(record.name());
                if (current != null && !current.record.topicId().equals(record.topicId())) {
                    removeLocally(current); // deleted and re-created by another broker
                    current = null;
                }
                if (current == null) {
                    onDisk = onDisk != null ? onDisk : logs.partitionsOnDisk();
                    HostedTopic hosted = host(record, leadership, true, onDisk);
                    topics.put(record.name(), hosted);
                    namesById.put(record.topicId(), record.name());
                    announceLeadership(hosted, 0);
                    LOG.info(() -> "Topic " + record.name() + " (id " + record.topicId() + ") created elsewhere");
                } else {
                    onDisk = onDisk != null ? onDisk : logs.partitionsOnDisk();
                    refresh(current, record, leadership, onDisk);
                }
            }
            for (HostedTopic topic : List.copyOf(topics.values())) {
                if (!names.contains(topic.record.name())) {
                    removeLocally(topic);
                    LOG.info(() -> "Topic " + topic.record.name() + " deleted elsewhere");
                }
            }
        }
    }

    /** Applies one stored topic's changes to its hosted state. Admin lock held. */
    private void refresh(HostedTopic current, TopicRecord record, Map<TopicPartition, PartitionLeadership> stored,
                         Set<TopicPartition> onDisk) {
        HostedTopic updated = current;
        int before = current.logs.length;
        if (record.partitions() > before)
            updated = grow(updated, record, stored, onDisk);
        if (!record.configOverrides().equals(current.record.configOverrides())) {
            updated = updated.withRecord(updated.record.withConfigOverrides(record.configOverrides()));
            for (PartitionLog log : updated.logs) {
                if (log != null)
                    log.updateConfig(updated.config);
            }
        }
        topics.put(record.name(), updated);
        if (updated.logs.length > before)
            announceLeadership(updated, before);
        for (int p = 0; p < before; p++) {
            PartitionLeadership newer = stored.get(new TopicPartition(record.name(), p));
            if (newer != null)
                updateLeadership(newer);
        }
    }

    /**
     * Takes {@code changed} as the partition's leadership if it is newer than the one known (a higher partition
     * epoch) and tells the listener if this broker holds a replica.
     *
     * @return whether it was newer
     */
    public boolean updateLeadership(PartitionLeadership changed) {
        synchronized (adminLock) {
            HostedTopic topic = topics.get(changed.topic());
            if (topic == null || changed.partition() >= topic.leadership.length)
                return false;
            PartitionLeadership known = topic.leadership[changed.partition()];
            if (changed.partitionEpoch() <= known.partitionEpoch())
                return false;
            // Copy on write: lock-free readers see either the old array or the whole new one.
            PartitionLeadership[] leadership = topic.leadership.clone();
            leadership[changed.partition()] = changed;
            topics.put(changed.topic(), new HostedTopic(topic.record, topic.config, topic.logs, leadership));
            if (changed.replicas().contains(brokerId))
                leadershipListener.leadershipChanged(changed, topic.logs[changed.partition()]);
            return true;
        }
    }

    /** The known leadership of one partition. */
    public PartitionLeadership leadership(String topic, int partition) {
        HostedTopic hosted = hosted(topic);
        checkPartition(hosted, partition);
        return hosted.leadership[partition];
    }

    /** The known leadership of every partition of every topic. */
    public List<PartitionLeadership> leadership() {
        List<PartitionLeadership> result = new ArrayList<>();
        for (HostedTopic topic : topics.values())
            result.addAll(Arrays.asList(topic.leadership));
        return result;
    }

    private void announceLeadership(HostedTopic topic, int fromPartition) {
        for (int p = fromPartition; p < topic.leadership.length; p++) {
            if (topic.leadership[p].replicas().contains(brokerId))
                leadershipListener.leadershipChanged(topic.leadership[p], topic.logs[p]);
        }
    }

    private static List<PartitionLeadership> initialLeadership(String topic, int from, int to, int rf,
                                                               List<Integer> live) {
        List<List<Integer>> replicas = ReplicaPlacement.assign(topic, from, to, rf, live);
        List<PartitionLeadership> result = new ArrayList<>(replicas.size());
        for (int p = from; p < to; p++)
            result.add(PartitionLeadership.initial(topic, p, replicas.get(p - from)));
        return result;
    }

    private static Map<TopicPartition, PartitionLeadership> byPartition(List<PartitionLeadership> partitions) {
        Map<TopicPartition, PartitionLeadership> result = new HashMap<>();
        partitions.forEach(partition -> result.put(partition.topicPartition(), partition));
        return result;
    }

    public List<String> topicNames() {
        return topics.keySet().stream().sorted().toList();
    }

    public TopicDescription describe(String name) {
        HostedTopic topic = hosted(name);
        List<PartitionState> partitions = new ArrayList<>(topic.logs.length);
        for (int p = 0; p < topic.logs.length; p++) {
            partitions.add(stateOf(topic, p));
        }
        return new TopicDescription(name, topic.record.topicId(), topic.record.replicationFactor(),
                topic.config.toMap(), topic.record.configOverrides(), topic.record.createdAt(), partitions);
    }

    /** The topic's effective configuration: its overrides over the broker's defaults. */
    public LogConfig config(String topic) {
        return hosted(topic).config;
    }

    public int partitionCount(String topic) {
        return hosted(topic).logs.length;
    }

    /** The name of the existing topic with this id; empty once that topic is deleted. */
    public Optional<String> topicName(Uuid topicId) {
        try {
            return Optional.of(hosted(topicId).record.name());
        } catch (UnknownTopicIdException e) {
            return Optional.empty();
        }
    }

    /**
     * The log of one partition this broker leads, for clients' reads and writes.
     *
     * @throws UnknownTopicOrPartitionException if the topic or partition does not exist
     * @throws NotLeaderOrFollowerException     if another broker leads it, or none does now
     * @throws KafkaStorageException if the partition is offline
     */
    public PartitionLog partitionLog(String topic, int partition) {
        return leaderLogOf(hosted(topic), partition);
    }

    /**
     * This broker's replica of one partition, led here or elsewhere: for replication.
     *
     * @throws NotLeaderOrFollowerException if this broker holds no replica of it
     */
    public PartitionLog replicaLog(String topic, int partition) {
        HostedTopic hosted = hosted(topic);
        checkPartition(hosted, partition);
        if (!hosted.leadership[partition].replicas().contains(brokerId))
            throw new NotLeaderOrFollowerException("Broker " + brokerId + " holds no replica of " + topic + "-"
                    + partition + "; its replicas are on " + hosted.leadership[partition].replicas());
        return logOf(hosted, partition);
    }

    /**
     * The log of one partition of the topic with this id. The id and the log are read from one snapshot of the
     * topic, so a request naming a deleted topic's id never reaches a re-created topic of the same name.
     *
     * @throws UnknownTopicIdException          if no topic has this id (any more)
     * @throws UnknownTopicOrPartitionException if the topic has no such partition
     * @throws KafkaStorageException            if the partition is offline
     */
    public PartitionLog partitionLog(Uuid topicId, int partition) {
        return leaderLogOf(hosted(topicId), partition);
    }

    private PartitionLog leaderLogOf(HostedTopic hosted, int partition) {
        checkPartition(hosted, partition);
        PartitionLeadership leadership = hosted.leadership[partition];
        if (leadership.leader() != brokerId) {
            throw new NotLeaderOrFollowerException("Broker " + brokerId + " does not lead " + hosted.record.name()
                    + "-" + partition + ": " + (leadership.hasLeader() ? "broker " + leadership.leader() + " does"
                    : "no in-sync replica is alive to lead it") + " (leader epoch " + leadership.leaderEpoch() + ")");
        }
        return logOf(hosted, partition);
    }

    private static void checkPartition(HostedTopic hosted, int partition) {
        if (partition < 0 || partition >= hosted.logs.length) {
            throw new UnknownTopicOrPartitionException("Topic '" + hosted.record.name() + "' has no partition "
                    + partition + " (it has " + hosted.logs.length + ")");
        }
    }

    private PartitionLog logOf(HostedTopic hosted, int partition) {
        String topic = hosted.record.name();
        PartitionLog log = hosted.logs[partition];
        if (log == null) {
            throw new KafkaStorageException("Partition " + topic + "-" + partition + " is offline: "
                    + logs.offlinePartitions().getOrDefault(new TopicPartition(topic, partition), "log unavailable"));
        }
        return log;
    }

    private HostedTopic hosted(String name) {
        HostedTopic topic = name == null ? null : topics.get(name);
        if (topic == null) {
            throw new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist");
        }
        return topic;
    }

    /** The id may map to a name that was deleted and re-created meanwhile: the topic's own id decides. */
    private HostedTopic hosted(Uuid topicId) {
        String name = topicId == null ? null : namesById.get(topicId);
        HostedTopic topic = name == null ? null : topics.get(name);
        if (topic == null || !topic.record.topicId().equals(topicId)) {
            throw new UnknownTopicIdException("No topic has id " + topicId);
        }
        return topic;
    }

    private HostedTopic host(TopicRecord topic, Map<TopicPartition, PartitionLeadership> leadership, boolean fresh,
                             Set<TopicPartition> onDisk) {
        LogConfig config = effectiveConfig(topic.configOverrides());
        HostedTopic empty = new HostedTopic(topic.withPartitions(0), config, new PartitionLog[0],
                new PartitionLeadership[0]);
        return grow(empty, topic, leadership, onDisk, fresh);
    }

    private HostedTopic grow(HostedTopic topic, TopicRecord grown, Map<TopicPartition, PartitionLeadership> leadership,
                             Set<TopicPartition> onDisk) {
        return grow(topic, grown, leadership, onDisk, true);
    }

    /**
     * {@code topic} with the partitions it has in {@code grown} but not yet; logs are opened (or created, if
     * {@code fresh}) for those with a replica here.
     */
    private HostedTopic grow(HostedTopic topic, TopicRecord grown, Map<TopicPartition, PartitionLeadership> leadership,
                             Set<TopicPartition> onDisk, boolean fresh) {
        int current = topic.logs.length;
        PartitionLog[] partitionLogs = Arrays.copyOf(topic.logs, grown.partitions());
        PartitionLeadership[] partitionLeadership = Arrays.copyOf(topic.leadership, grown.partitions());
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
                    partitionLogs[p] = openLog(tp, topic.config, fresh, onDisk,
                            partitionLeadership[p].replicas().size() == 1);
                } catch (KafkaStorageException e) {
                    // The partition stays offline until a restart creates its directory.
                    LOG.log(Level.SEVERE, "Partition " + tp + " is offline: " + e.getMessage(), e);
                }
            }
        }
        return new HostedTopic(topic.record.withPartitions(grown.partitions()), topic.config, partitionLogs,
                partitionLeadership);
    }

    /**
     * Opens a partition's log, or creates it if it is {@code fresh} (new to the metadata) or has no directory yet.
     *
     * @return the log, or {@code null} if it is corrupt (the partition is then offline)
     */
    /**
     * @param soleReplica whether this is the partition's only replica, whose high watermark is its log end; a
     *                    replicated partition's log reopens at its checkpointed high watermark, which only the
     *                    in-sync replicas move
     */
    private PartitionLog openLog(TopicPartition tp, LogConfig config, boolean fresh, Set<TopicPartition> onDisk,
                                 boolean soleReplica) {
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

    private void reportOrphans(Set<TopicPartition> onDisk) {
        Set<TopicPartition> orphans = new TreeSet<>(Comparator.comparing(TopicPartition::toString));
        for (TopicPartition tp : onDisk) {
            HostedTopic topic = topics.get(tp.topic());
            if (topic == null || tp.partition() >= topic.logs.length) {
                orphans.add(tp);
            }
        }
        if (!orphans.isEmpty()) {
            LOG.warning(() -> "Data directory holds partitions no topic owns (left alone): " + orphans);
        }
    }

    /**
     * A partition as clients see it: offsets are this broker's replica's, -1 where it holds none (ask the leader).
     */
    private PartitionState stateOf(HostedTopic topic, int partition) {
        PartitionLeadership leadership = topic.leadership[partition];
        PartitionLog log = topic.logs[partition];
        boolean local = leadership.replicas().contains(brokerId);
        if (local && log == null) {
            String reason = logs.offlinePartitions()
                    .getOrDefault(new TopicPartition(topic.record.name(), partition), "log unavailable");
            return new PartitionState(partition, -1, leadership.replicas(), List.of(), -1, -1, -1,
                    Optional.of(reason));
        }
        Optional<String> offline = leadership.hasLeader() ? Optional.empty()
                : Optional.of("no in-sync replica is alive to lead it");
        if (!local)
            return new PartitionState(partition, leadership.leader(), leadership.replicas(), leadership.isr(), -1, -1,
                    -1, offline);
        return new PartitionState(partition, leadership.leader(), leadership.replicas(), leadership.isr(),
                log.logStartOffset(), log.logEndOffset(), log.highWatermark(), offline);
    }

    private static LogConfig effectiveConfig(Map<String, String> overrides) {
        try {
            return LogConfig.defaults().withOverrides(overrides);
        } catch (InvalidLogConfigException e) {
            throw new InvalidConfigurationException(e.getMessage());
        }
    }

    /**
     * @param logs       this broker's replicas; {@code null} where it holds none or the log is offline
     * @param leadership every partition's; an element is replaced (under the admin lock) when it changes
     */
    private record HostedTopic(TopicRecord record, LogConfig config, PartitionLog[] logs,
                               PartitionLeadership[] leadership) {
        HostedTopic withRecord(TopicRecord updated) {
            return new HostedTopic(updated, effectiveConfig(updated.configOverrides()), logs, leadership);
        }
    }
}
