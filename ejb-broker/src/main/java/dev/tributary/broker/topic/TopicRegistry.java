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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The topics this broker hosts and their partition logs.
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
    private final Map<String, HostedTopic> topics = new ConcurrentHashMap<>();
    /**
     * Updated with {@link #topics} under the admin lock. A lock-free reader may find an entry whose name was just
     * deleted or re-created: {@link #hosted(Uuid)} checks the topic's own id.
     */
    private final Map<Uuid, String> namesById = new ConcurrentHashMap<>();
    private final Object adminLock = new Object();

    private TopicRegistry(TopicStore store, LogManager logs, Clock clock, int brokerId) {
        this.store = store;
        this.logs = logs;
        this.clock = clock;
        this.brokerId = brokerId;
    }

    /**
     * Restores every stored topic and recovers its logs. A partition whose log is corrupt goes offline; the
     * others, and every other topic, keep working.
     */
    public static TopicRegistry open(TopicStore store, LogManager logs, Clock clock, int brokerId) {
        TopicRegistry registry = new TopicRegistry(store, logs, clock, brokerId);
        Set<TopicPartition> onDisk = logs.partitionsOnDisk(); // one directory listing, not one per topic
        for (TopicRecord topic : store.loadAll()) {
            registry.topics.put(topic.name(), registry.host(topic, false, onDisk));
            registry.namesById.put(topic.topicId(), topic.name());
        }
        registry.reportOrphans(onDisk);
        return registry;
    }

    public TopicDescription create(NewTopic request) {
        if (request.replicationFactor() > liveBrokers()) {
            throw new InvalidReplicationFactorException("replicationFactor " + request.replicationFactor()
                    + " exceeds the " + liveBrokers() + " available broker(s)");
        }
        effectiveConfig(request.configs()); // validates before anything is stored
        synchronized (adminLock) {
            if (topics.containsKey(request.name())) {
                throw new TopicExistsException("Topic '" + request.name() + "' already exists");
            }
            TopicRecord topic = new TopicRecord(request.name(), unusedTopicId(), request.partitions(),
                    request.replicationFactor(), request.configs(), clock.instant());
            store.insert(topic);
            topics.put(topic.name(), host(topic, true, logs.partitionsOnDisk()));
            namesById.put(topic.topicId(), topic.name());
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
        String name = topic.record.name();
        store.delete(name);
        topics.remove(name);
        namesById.remove(topic.record.topicId());
        for (int p = 0; p < topic.logs.length; p++) {
            logs.deleteLog(new TopicPartition(name, p));
        }
        LOG.info(() -> "Deleted topic " + name + " (id " + topic.record.topicId() + ")");
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
            store.replacePartitionCount(name, count);
            PartitionLog[] grown = Arrays.copyOf(topic.logs, count);
            Set<TopicPartition> onDisk = logs.partitionsOnDisk();
            for (int p = current; p < count; p++) {
                TopicPartition tp = new TopicPartition(name, p);
                try {
                    grown[p] = openLog(tp, topic.config, true, onDisk);
                } catch (KafkaStorageException e) {
                    // The count is stored: the partition stays offline until a restart creates its directory.
                    LOG.log(Level.SEVERE, "Partition " + tp + " is offline: " + e.getMessage(), e);
                }
            }
            topics.put(name, new HostedTopic(topic.record.withPartitions(count), topic.config, grown));
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
     * UnderReplicatedPartitions). Alone, a broker is every partition's only replica, so this is 0 until
     * replication arrives; offline partitions are not led and not counted here.
     */
    public int underReplicatedPartitionCount() {
        int count = 0;
        for (HostedTopic topic : topics.values()) {
            for (int p = 0; p < topic.logs.length; p++) {
                PartitionState state = stateOf(topic, p);
                if (state.leader() == brokerId && state.isr().size() < state.replicas().size()) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Partitions whose log could not be opened. */
    public int offlinePartitionCount() {
        return logs.offlinePartitions().size();
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
                topic.config.toMap(), topic.record.createdAt(), partitions);
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
     * The log of one partition, for reads and writes.
     *
     * @throws UnknownTopicOrPartitionException if the topic or partition does not exist
     * @throws KafkaStorageException if the partition is offline
     */
    public PartitionLog partitionLog(String topic, int partition) {
        return logOf(hosted(topic), partition);
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
        return logOf(hosted(topicId), partition);
    }

    private PartitionLog logOf(HostedTopic hosted, int partition) {
        String topic = hosted.record.name();
        if (partition < 0 || partition >= hosted.logs.length) {
            throw new UnknownTopicOrPartitionException("Topic '" + topic + "' has no partition " + partition
                    + " (it has " + hosted.logs.length + ")");
        }
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

    private HostedTopic host(TopicRecord topic, boolean fresh, Set<TopicPartition> onDisk) {
        LogConfig config = effectiveConfig(topic.configOverrides());
        PartitionLog[] partitionLogs = new PartitionLog[topic.partitions()];
        for (int p = 0; p < partitionLogs.length; p++) {
            partitionLogs[p] = openLog(new TopicPartition(topic.name(), p), config, fresh, onDisk);
        }
        return new HostedTopic(topic, config, partitionLogs);
    }

    /**
     * Opens a partition's log, or creates it if it is {@code fresh} (new to the metadata) or has no directory yet.
     *
     * @return the log, or {@code null} if it is corrupt (the partition is then offline)
     */
    private PartitionLog openLog(TopicPartition tp, LogConfig config, boolean fresh, Set<TopicPartition> onDisk) {
        try {
            if (onDisk.contains(tp) && fresh) {
                // Left behind by a delete that crashed before its files were gone: it is not this topic's data.
                LOG.warning(() -> "Removing stale directory of a deleted topic before creating " + tp);
                logs.deleteLog(tp);
            }
            return onDisk.contains(tp) && !fresh ? logs.openLog(tp, config) : logs.createLog(tp, config);
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

    private PartitionState stateOf(HostedTopic topic, int partition) {
        List<Integer> replicas = List.of(brokerId);
        PartitionLog log = topic.logs[partition];
        if (log == null) {
            String reason = logs.offlinePartitions()
                    .getOrDefault(new TopicPartition(topic.record.name(), partition), "log unavailable");
            return new PartitionState(partition, -1, replicas, List.of(), -1, -1, -1, Optional.of(reason));
        }
        return new PartitionState(partition, brokerId, replicas, replicas, log.logStartOffset(),
                log.logEndOffset(), log.highWatermark(), Optional.empty());
    }

    private static LogConfig effectiveConfig(Map<String, String> overrides) {
        try {
            return LogConfig.defaults().withOverrides(overrides);
        } catch (InvalidLogConfigException e) {
            throw new InvalidConfigurationException(e.getMessage());
        }
    }

    /** Until the cluster joins brokers together, this broker is the only one. */
    private static int liveBrokers() {
        return 1;
    }

    private record HostedTopic(TopicRecord record, LogConfig config, PartitionLog[] logs) {
        HostedTopic withRecord(TopicRecord updated) {
            return new HostedTopic(updated, effectiveConfig(updated.configOverrides()), logs);
        }
    }
}
