package dev.tributary.broker.txn;

import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The markers that end one transaction: a COMMIT or ABORT control batch in each of its partitions, and the
 * completion of its transactional offsets in each of its consumer groups.
 *
 * @param transactionalId  whose transaction (for logging)
 * @param producerId       the producer the markers are written for
 * @param producerEpoch    the epoch they carry (bumped past the producer's, when it was fenced or uses
 *                         transaction version 2)
 * @param coordinatorEpoch fences markers of a coordinator that lost the id
 * @param commit           commit, or abort
 * @param partitions       where control batches go
 * @param groups           whose pending transactional offsets become committed, or are dropped
 */
public record TransactionMarkers(String transactionalId, long producerId, short producerEpoch, int coordinatorEpoch,
                                 boolean commit, Set<TopicPartition> partitions, Set<String> groups) {

    public TransactionMarkers {
        partitions = Set.copyOf(partitions);
        groups = Set.copyOf(groups);
    }
}
