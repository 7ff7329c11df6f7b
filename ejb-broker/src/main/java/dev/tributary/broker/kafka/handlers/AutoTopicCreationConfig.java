package dev.tributary.broker.kafka.handlers;

/**
 * Kafka's settings for topics created on first use: {@code auto.create.topics.enable}, {@code num.partitions} and
 * {@code default.replication.factor}. The replication factor is an upper bound: a topic created while fewer brokers
 * are live gets one replica per live broker (a producer's first send would otherwise fail on a half-started cluster).
 *
 * @param enabled                  whether a Metadata request that allows it creates the unknown topics it names
 * @param numPartitions            partitions of a topic created so
 * @param defaultReplicationFactor replicas of a topic created so, at most one per live broker
 */
public record AutoTopicCreationConfig(boolean enabled, int numPartitions, short defaultReplicationFactor) {

    /** Kafka's defaults: on, one partition, one replica. */
    public static final AutoTopicCreationConfig DEFAULTS = new AutoTopicCreationConfig(true, 1, (short) 1);

    public AutoTopicCreationConfig {
        if (numPartitions < 1)
            throw new IllegalArgumentException("num.partitions must be at least 1, was " + numPartitions);
        if (defaultReplicationFactor < 1)
            throw new IllegalArgumentException("default.replication.factor must be at least 1, was "
                    + defaultReplicationFactor);
    }

    /** Nothing is created on first use; a Metadata request naming an unknown topic gets UNKNOWN_TOPIC_OR_PARTITION. */
    public AutoTopicCreationConfig disabled() {
        return new AutoTopicCreationConfig(false, numPartitions, defaultReplicationFactor);
    }
}
