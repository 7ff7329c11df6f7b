package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;

/**
 * Told when a partition's log is found to hold a corrupt batch ({@link PartitionLog#corruption()}), so that the
 * replication layer can take the replica out of the in-sync replicas and repair it. Called once per damage, on the
 * thread that found it (the log scrubber's, or a reader's): it must return quickly and not call back into the log
 * on that thread.
 */
@FunctionalInterface
public interface CorruptionListener {

    CorruptionListener NONE = (partition, damage) -> {
    };

    void corruptionFound(TopicPartition partition, CorruptBatch damage);
}
