package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.log.PartitionLog;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.UnknownLeaderEpochException;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Kafka's rules for the leader epochs clients and followers send. A partition's current epoch is its stored
 * leadership's ({@link dev.tributary.broker.topic.PartitionLeadership#leaderEpoch()}); its history, which
 * OffsetsForLeaderEpoch answers from, is the leader's log's ({@link PartitionLog#endOffsetForEpoch}).
 */
final class PartitionLeaderEpoch {

    private PartitionLeaderEpoch() {
    }

    /**
     * Checks the leader epoch a client believes current, as Kafka checks it in Fetch, ListOffsets and
     * OffsetsForLeaderEpoch: -1 asks for no check, an older epoch is fenced, a newer one is unknown to this broker.
     *
     * @throws FencedLeaderEpochException  if {@code clientEpoch} is older than the current epoch
     * @throws UnknownLeaderEpochException if {@code clientEpoch} is newer than the current epoch
     */
    static void checkCurrent(int clientEpoch, int currentEpoch, String partition) {
        if (clientEpoch == RecordBatch.NO_PARTITION_LEADER_EPOCH || clientEpoch == currentEpoch)
            return;
        if (clientEpoch < currentEpoch)
            throw new FencedLeaderEpochException("Leader epoch " + clientEpoch + " of partition " + partition
                    + " is older than its current epoch " + currentEpoch);
        throw new UnknownLeaderEpochException("Leader epoch " + clientEpoch + " of partition " + partition
                + " is newer than its current epoch " + currentEpoch);
    }
}
