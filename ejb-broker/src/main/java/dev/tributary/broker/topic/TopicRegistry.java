package dev.tributary.broker.topic;

import dev.tributary.broker.log.InvalidLogConfigException;
import dev.tributary.broker.log.LogConfig;
import dev.tributary.broker.log.LogCorruptionException;
import dev.tributary.broker.log.LogManager;
import dev.tributary.broker.log.PartitionLog;
import java.time.Clock;
import java.util.ArrayList;
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
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The topics this broker hosts and their partition logs.
 *
 * <p>Lookups ({@link #partitionLog}, {@link #partitionCount}) are lock-free and sit on every produce and fetch.
 * Administrative changes (create, delete, alter) are serialized by one lock: they are rare, and ordering them keeps
 * the metadata store and the data directory in step. Metadata is committed before files are created and before
 * files are removed, so a crash in between leaves at worst an orphaned directory, which {@link #open} reports.
 */
public final class TopicRegistry {

    private static final Logger LOG = Logger.getLogger(TopicRegistry.class.getName());

    private final TopicStore store;
    private final LogManager logs;
    private final Clock clock;
    private final int brokerId;
    private final Map<String, HostedTopic> topics = new ConcurrentHashMap<>();
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
            TopicRecord topic = new TopicRecord(request.name(), request.partitions(), request.replicationFactor(),
                    request.configs(), clock.instant());
            store.insert(topic);
            topics.put(topic.name(), host(topic, true, logs.partitionsOnDisk()));
            LOG.info(() -> "Created topic " + topic.name() + " with " + topic.partitions() + " partition(s)");
            return describe(topic.name());
        }
    }

    public void delete(String name) {
        synchronized (adminLock) {
            HostedTopic topic = hosted(name);
            store.delete(name);
            topics.remove(name);
            for (int p = 0; p < topic.record.partitions(); p++) {
                logs.deleteLog(new TopicPartition(name, p));
            }
            LOG.info(() -> "Deleted topic " + name);
        }
    }

    /**
     * Applies config changes: a non-null value sets an override, a null value removes it (back to the default).
     * Validation happens before anything is stored, so a bad key changes nothing.
     */
    public TopicDescription alterConfigs(String name, Map<String, String> changes) {
        synchronized (adminLock) {
            HostedTopic topic = hosted(name);
            Map<String, String> overrides = new HashMap<>(topic.record.configOverrides());
            changes.forEach((key, value) -> {
                if (value == null) {
                    overrides.remove(key);
                } else {
                    overrides.put(key, value);
                }
            });
            LogConfig config = effectiveConfig(overrides);
            store.replaceConfigOverrides(name, overrides);
            HostedTopic updated = topic.withRecord(topic.record.withConfigOverrides(overrides));
            topics.put(name, updated);
            for (PartitionLog log : updated.logs) {
                if (log != null) {
                    log.updateConfig(config);
                }
            }
            LOG.info(() -> "Altered configs of topic " + name + ": " + changes.keySet());
            return describe(name);
        }
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
        return new TopicDescription(name, topic.record.replicationFactor(), topic.config.toMap(),
                topic.record.createdAt(), partitions);
    }

    public int partitionCount(String topic) {
        return hosted(topic).logs.length;
    }

    /**
     * The log of one partition, for reads and writes.
     *
     * @throws UnknownTopicOrPartitionException if the topic or partition does not exist
     * @throws KafkaStorageException if the partition is offline
     */
    public PartitionLog partitionLog(String topic, int partition) {
        HostedTopic hosted = hosted(topic);
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

    private HostedTopic host(TopicRecord topic, boolean fresh, Set<TopicPartition> onDisk) {
        LogConfig config = effectiveConfig(topic.configOverrides());
        PartitionLog[] partitionLogs = new PartitionLog[topic.partitions()];
        for (int p = 0; p < partitionLogs.length; p++) {
            TopicPartition tp = new TopicPartition(topic.name(), p);
            try {
                if (onDisk.contains(tp) && fresh) {
                    // Left behind by a delete that crashed before its files were gone: it is not this topic's data.
                    LOG.warning(() -> "Removing stale directory of a deleted topic before re-creating " + tp);
                    logs.deleteLog(tp);
                }
                partitionLogs[p] = onDisk.contains(tp) && !fresh ? logs.openLog(tp, config) : logs.createLog(tp, config);
            } catch (LogCorruptionException e) {
                LOG.log(Level.SEVERE, "Partition " + tp + " is offline: " + e.getMessage());
            }
        }
        return new HostedTopic(topic, config, partitionLogs);
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
