package dev.tributary.broker.topic;

import dev.tributary.broker.log.LogManager;
import java.time.Clock;

/**
 * This broker's topics as its three kinds of user see them, opened together over one set of snapshots
 * ({@link HostedTopics}): the read-only view, the hosted replica logs, and administration. A handle for wiring the
 * broker, not a service: each caller takes the narrowest of the three it needs.
 */
public record BrokerTopics(TopicMetadata metadata, HostedReplicas replicas, TopicAdministration administration) {

    /**
     * Restores every stored topic and recovers the logs of this broker's replicas. A partition whose log is corrupt
     * goes offline; the others, and every other topic, keep working.
     */
    public static BrokerTopics open(TopicStore store, LeadershipStore leadershipStore, LogManager logs, Clock clock,
                                    int brokerId) {
        HostedTopics topics = new HostedTopics(brokerId, logs);
        TopicMetadata metadata = new TopicMetadataCache(topics);
        HostedReplicas replicas = new HostedReplicas(topics, logs);
        TopicAdministration administration = new TopicAdministration(topics, metadata, replicas, store,
                leadershipStore, clock);
        administration.restore();
        return new BrokerTopics(metadata, replicas, administration);
    }
}
