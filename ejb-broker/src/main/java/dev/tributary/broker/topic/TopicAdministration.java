package dev.tributary.broker.topic;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Changes to the topics of the cluster (Kafka's controller side of topic administration): create, delete, add
 * partitions, alter configs, and applying what other brokers changed ({@link #refresh()}) or what replication
 * changed ({@link #updateLeadership}).
 *
 * <p>Topics and leadership live in the shared metadata database; each change is stored there first, then applied
 * to this broker's {@link HostedTopics}: new snapshots are published for the lock-free readers of
 * {@link TopicMetadata} and {@link HostedReplicas}, local replica logs are created or deleted, and the
 * {@link LeadershipListener} hears of every local replica's changed leadership. Changes are serialized by the one
 * admin lock: they are rare, and ordering them keeps the metadata store and the data directory in step. Metadata is
 * committed before files are created and before files are removed, so a crash in between leaves at worst an
 * orphaned directory (which {@link #restore} reports) or a partition without a directory (which {@link #restore}
 * creates).
 *
 * <p>Every topic has a random Kafka topic id, given at creation and never reused: once the topic is deleted, its id
 * names nothing ({@link UnknownTopicIdException}), even if a topic of the same name exists again.
 */
public final class TopicAdministration {

    private static final Logger LOG = Logger.getLogger(TopicAdministration.class.getName());

    private final HostedTopics topics;
    private final TopicMetadata metadata;
    private final HostedReplicas replicas;
    private final TopicStore store;
    private final LeadershipStore leadershipStore;
    private final Clock clock;
    private volatile Supplier<List<Integer>> liveBrokers;

    TopicAdministration(HostedTopics topics, TopicMetadata metadata, HostedReplicas replicas, TopicStore store,
                        LeadershipStore leadershipStore, Clock clock) {
        this.topics = topics;
        this.metadata = metadata;
        this.replicas = replicas;
        this.store = store;
        this.leadershipStore = leadershipStore;
        this.clock = clock;
        this.liveBrokers = () -> List.of(topics.brokerId());
    }

    /**
     * Restores every stored topic and recovers the logs of its local replicas, before any reader sees the topics.
     * A partition whose log is corrupt goes offline; the others, and every other topic, keep working.
     */
    void restore() {
        synchronized (topics.adminLock()) {
            Set<TopicPartition> onDisk = replicas.partitionsOnDisk(); // one directory listing, not one per topic
            List<TopicRecord> stored = store.loadAll();
            Map<TopicPartition, PartitionLeadership> leadership = leadershipOf(stored);
            replicas.openExistingLogs(stored, leadership, onDisk);
            for (TopicRecord topic : stored)
                topics.put(replicas.host(topic, leadership, false, onDisk));
            replicas.reportOrphans(onDisk);
        }
    }

    /**
     * The stored leadership of {@code stored}'s partitions. Partitions of topics created before leadership was
     * stored get this broker as their only replica: they were created by a broker alone, and their logs are here.
     */
    private Map<TopicPartition, PartitionLeadership> leadershipOf(List<TopicRecord> stored) {
        Map<TopicPartition, PartitionLeadership> byPartition = storedLeadership();
        List<PartitionLeadership> missing = new ArrayList<>();
        for (TopicRecord topic : stored) {
            for (int p = 0; p < topic.partitions(); p++) {
                if (!byPartition.containsKey(new TopicPartition(topic.name(), p)))
                    missing.add(PartitionLeadership.initial(topic.name(), p, List.of(topics.brokerId())));
            }
        }
        if (missing.isEmpty())
            return byPartition;
        store.insertMissingLeadership(missing);
        return storedLeadership();
    }

    private Map<TopicPartition, PartitionLeadership> storedLeadership() {
        return byPartition(leadershipStore.loadAll());
    }

    /** Where the ids of the live brokers come from, for placing new replicas; until set, this broker alone. */
    public void liveBrokersFrom(Supplier<List<Integer>> liveBrokers) {
        this.liveBrokers = liveBrokers;
    }

    /** @throws InvalidReplicationFactorException if {@code rf} exceeds the live brokers */
    public void checkReplicationFactor(int rf) {
        ReplicaPlacement.checkReplicationFactor(rf, liveBrokers.get());
    }

    /**
     * Creates a topic, its replicas placed over the live brokers, each partition led by its first replica.
     *
     * @return the topic as created
     * @throws TopicExistsException               if a topic of that name exists
     * @throws InvalidReplicationFactorException  if the replication factor exceeds the live brokers
     * @throws InvalidConfigurationException      if a config override is invalid; nothing is stored then
     */
    public TopicDescription create(NewTopic request) {
        List<Integer> live = liveBrokers.get();
        ReplicaPlacement.checkReplicationFactor(request.replicationFactor(), live);
        HostedTopic.effectiveConfig(request.configs()); // validates before anything is stored
        synchronized (topics.adminLock()) {
            if (topics.find(request.name()) != null) {
                throw new TopicExistsException("Topic '" + request.name() + "' already exists");
            }
            TopicRecord topic = new TopicRecord(request.name(), unusedTopicId(), request.partitions(),
                    request.replicationFactor(), request.configs(), clock.instant());
            List<PartitionLeadership> partitions = initialLeadership(topic.name(), 0, topic.partitions(),
                    topic.replicationFactor(), live);
            store.insert(topic, partitions);
            HostedTopic hosted = replicas.host(topic, byPartition(partitions), true, replicas.partitionsOnDisk());
            topics.put(hosted);
            replicas.announceLeadership(hosted, 0);
            LOG.info(() -> "Created topic " + topic.name() + " (id " + topic.topicId() + ") with "
                    + topic.partitions() + " partition(s)");
            return metadata.describe(topic.name());
        }
    }

    /** Kafka's own rule: random, and never the id of a topic that exists (nor one of Kafka's reserved ids). */
    private Uuid unusedTopicId() {
        Uuid id = Uuid.randomUuid();
        while (topics.hasId(id)) {
            id = Uuid.randomUuid();
        }
        return id;
    }

    /**
     * Deletes the topic of this name and this broker's replicas of it.
     *
     * @return the id the topic had
     * @throws UnknownTopicOrPartitionException if no topic has this name
     */
    public Uuid delete(String name) {
        synchronized (topics.adminLock()) {
            HostedTopic topic = topics.get(name);
            delete(topic);
            return topic.record().topicId();
        }
    }

    /**
     * Deletes the topic with this id and this broker's replicas of it.
     *
     * @return its name
     * @throws UnknownTopicIdException if no topic has this id (any more)
     */
    public String delete(Uuid topicId) {
        synchronized (topics.adminLock()) {
            HostedTopic topic = topics.get(topicId);
            delete(topic);
            return topic.name();
        }
    }

    private void delete(HostedTopic topic) {
        store.delete(topic.name());
        removeLocally(topic);
        LOG.info(() -> "Deleted topic " + topic.name() + " (id " + topic.record().topicId() + ")");
    }

    /** Forgets a topic deleted in the store (by this broker or another) and deletes its local replicas. */
    private void removeLocally(HostedTopic topic) {
        topics.remove(topic);
        replicas.remove(topic);
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
        synchronized (topics.adminLock()) {
            HostedTopic topic = topics.get(name);
            int current = topic.partitionCount();
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
                return metadata.describe(name);
            }
            List<PartitionLeadership> added = initialLeadership(name, current, count,
                    topic.record().replicationFactor(), liveBrokers.get());
            store.replacePartitionCount(name, count, added);
            HostedTopic grown = replicas.grow(topic, topic.record().withPartitions(count), byPartition(added),
                    replicas.partitionsOnDisk());
            topics.put(grown);
            replicas.announceLeadership(grown, current);
            LOG.info(() -> "Topic " + name + " grew from " + current + " to " + count + " partitions");
            return metadata.describe(name);
        }
    }

    /**
     * Applies a merge patch of config overrides: a non-null value sets an override, a null value removes it (back
     * to the default). Validation happens before anything is stored, so a bad key changes nothing.
     *
     * @return the topic as it is afterwards
     * @throws InvalidConfigurationException if a change or the resulting configuration is invalid
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
        synchronized (topics.adminLock()) {
            HostedTopic topic = topics.get(name);
            Map<String, String> overrides = new HashMap<>(topic.record().configOverrides());
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
        synchronized (topics.adminLock()) {
            return replaceOverrides(topics.get(name), overrides, validateOnly);
        }
    }

    /** The one path by which configs change: validate, store, then reconfigure the logs. Admin lock held. */
    private TopicDescription replaceOverrides(HostedTopic topic, Map<String, String> overrides, boolean validateOnly) {
        String name = topic.name();
        HostedTopic.effectiveConfig(overrides);
        if (validateOnly) {
            return metadata.describe(name);
        }
        store.replaceConfigOverrides(name, overrides);
        HostedTopic updated = topic.withRecord(topic.record().withConfigOverrides(overrides));
        topics.put(updated);
        replicas.reconfigure(updated);
        LOG.info(() -> "Config overrides of topic " + name + " are now " + overrides);
        return metadata.describe(name);
    }

    /**
     * Reloads topics and leadership from the store and applies what other brokers changed: new topics and
     * partitions get local replicas, deleted ones lose them, configs are re-applied, and changed leadership is
     * passed to the {@link LeadershipListener}. Idempotent: a reload that finds nothing new changes nothing.
     */
    public void refresh() {
        synchronized (topics.adminLock()) {
            List<TopicRecord> stored = store.loadAll();
            Map<TopicPartition, PartitionLeadership> leadership = storedLeadership();
            Set<String> names = new HashSet<>();
            Set<TopicPartition> onDisk = null;
            for (TopicRecord record : stored) {
                names.add(record.name());
                HostedTopic current = topics.find(record.name());
                if (current != null && !current.record().topicId().equals(record.topicId())) {
                    removeLocally(current); // deleted and re-created by another broker
                    current = null;
                }
                onDisk = onDisk != null ? onDisk : replicas.partitionsOnDisk();
                if (current == null) {
                    HostedTopic hosted = replicas.host(record, leadership, true, onDisk);
                    topics.put(hosted);
                    replicas.announceLeadership(hosted, 0);
                    LOG.info(() -> "Topic " + record.name() + " (id " + record.topicId() + ") created elsewhere");
                } else {
                    refresh(current, record, leadership, onDisk);
                }
            }
            for (HostedTopic topic : List.copyOf(topics.all())) {
                if (!names.contains(topic.name())) {
                    removeLocally(topic);
                    LOG.info(() -> "Topic " + topic.name() + " deleted elsewhere");
                }
            }
        }
    }

    /** Applies one stored topic's changes to its hosted state. Admin lock held. */
    private void refresh(HostedTopic current, TopicRecord record, Map<TopicPartition, PartitionLeadership> stored,
                         Set<TopicPartition> onDisk) {
        HostedTopic updated = current;
        int before = current.partitionCount();
        if (record.partitions() > before)
            updated = replicas.grow(updated, record, stored, onDisk);
        if (!record.configOverrides().equals(current.record().configOverrides())) {
            updated = updated.withRecord(updated.record().withConfigOverrides(record.configOverrides()));
            replicas.reconfigure(updated);
        }
        topics.put(updated);
        if (updated.partitionCount() > before)
            replicas.announceLeadership(updated, before);
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
        synchronized (topics.adminLock()) {
            HostedTopic topic = topics.find(changed.topic());
            if (topic == null || changed.partition() >= topic.partitionCount())
                return false;
            PartitionLeadership known = topic.leadership()[changed.partition()];
            if (changed.partitionEpoch() <= known.partitionEpoch())
                return false;
            // Copy on write: lock-free readers see either the old snapshot or the whole new one.
            HostedTopic updated = topic.withLeadership(changed);
            topics.put(updated);
            replicas.leadershipChanged(updated, changed.partition());
            return true;
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
}
