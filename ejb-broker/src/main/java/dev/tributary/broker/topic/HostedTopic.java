package dev.tributary.broker.topic;

import dev.tributary.broker.log.InvalidLogConfigException;
import dev.tributary.broker.log.LogConfig;
import dev.tributary.broker.log.PartitionLog;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * One topic as this broker knows it: an immutable snapshot. A change makes a new snapshot (copying the arrays it
 * changes) under the admin lock of {@link HostedTopics}; readers take one without a lock and never see it change.
 * The arrays are never written once a snapshot is published.
 *
 * @param config     the effective configuration: the record's overrides over the broker's defaults
 * @param logs       this broker's replicas, by partition; {@code null} where it holds none or the log is offline
 * @param leadership every partition's, by partition
 */
record HostedTopic(TopicRecord record, LogConfig config, PartitionLog[] logs, PartitionLeadership[] leadership) {

    String name() {
        return record.name();
    }

    int partitionCount() {
        return logs.length;
    }

    /** @throws UnknownTopicOrPartitionException if the topic has no such partition */
    void checkPartition(int partition) {
        if (partition < 0 || partition >= logs.length) {
            throw new UnknownTopicOrPartitionException("Topic '" + record.name() + "' has no partition "
                    + partition + " (it has " + logs.length + ")");
        }
    }

    /** The same topic with {@code updated}'s config overrides in effect. */
    HostedTopic withRecord(TopicRecord updated) {
        return new HostedTopic(updated, effectiveConfig(updated.configOverrides()), logs, leadership);
    }

    /** The same topic with {@code changed} as its partition's leadership (copy on write). */
    HostedTopic withLeadership(PartitionLeadership changed) {
        PartitionLeadership[] copy = leadership.clone();
        copy[changed.partition()] = changed;
        return new HostedTopic(record, config, logs, copy);
    }

    /**
     * {@code overrides} over the broker's defaults.
     *
     * @throws InvalidConfigurationException if a key is unknown or a value invalid
     */
    static LogConfig effectiveConfig(Map<String, String> overrides) {
        try {
            return LogConfig.defaults().withOverrides(overrides);
        } catch (InvalidLogConfigException e) {
            throw new InvalidConfigurationException(e.getMessage());
        }
    }
}
