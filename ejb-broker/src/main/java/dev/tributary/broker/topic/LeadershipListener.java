package dev.tributary.broker.topic;

import dev.tributary.broker.log.PartitionLog;
import org.apache.kafka.common.TopicPartition;

/**
 * Told by {@link HostedReplicas} when the leadership of a partition this broker holds a replica of is first known or
 * changes, and when such a partition goes away: the replication layer turns that into leading or following. Called
 * under the admin lock of {@link TopicAdministration}, in the order of changes; implementations must not call back
 * into its operations and should only hand work to their own threads.
 */
public interface LeadershipListener {

    /** @param log this broker's replica of the partition; {@code null} if it is offline */
    void leadershipChanged(PartitionLeadership leadership, PartitionLog log);

    /** The partition was deleted, or this broker no longer holds a replica of it. */
    void replicaRemoved(TopicPartition partition);
}
