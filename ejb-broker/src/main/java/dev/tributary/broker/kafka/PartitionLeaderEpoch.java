package dev.tributary.broker.kafka;

import dev.tributary.broker.log.PartitionLog;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.UnknownLeaderEpochException;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;

/**
 * The leader epoch of every partition, and Kafka's rules for the epochs clients send. A broker alone never changes
 * leader, so every partition is at epoch {@value #CURRENT} from its first offset on, forever: Metadata and
 * ListOffsets report it, and OffsetsForLeaderEpoch answers from it. Records are not stamped with it (their batches
 * keep the producer's -1, "unknown"), which only means that consumers validate a position they got with an epoch
 * (a seek with one, an offset reset through ListOffsets) rather than every position they fetched to.
 */
final class PartitionLeaderEpoch {

    static final int CURRENT = 0;

    /** An epoch and its end offset, as OffsetsForLeaderEpoch answers it. */
    record EpochEndOffset(int leaderEpoch, long endOffset) {
        static final EpochEndOffset UNDEFINED = new EpochEndOffset(OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH,
                OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH_OFFSET);
    }

    private PartitionLeaderEpoch() {
    }

    /**
     * Checks the leader epoch a client believes current, as Kafka checks it in Fetch, ListOffsets and
     * OffsetsForLeaderEpoch: -1 asks for no check, an older epoch is fenced, a newer one is unknown to this broker.
     *
     * @throws FencedLeaderEpochException  if {@code clientEpoch} is older than the current epoch
     * @throws UnknownLeaderEpochException if {@code clientEpoch} is newer than the current epoch
     */
    static void checkCurrent(int clientEpoch, String partition) {
        if (clientEpoch == RecordBatch.NO_PARTITION_LEADER_EPOCH || clientEpoch == CURRENT)
            return;
        if (clientEpoch < CURRENT)
            throw new FencedLeaderEpochException("Leader epoch " + clientEpoch + " of partition " + partition
                    + " is older than its current epoch " + CURRENT);
        throw new UnknownLeaderEpochException("Leader epoch " + clientEpoch + " of partition " + partition
                + " is newer than its current epoch " + CURRENT);
    }

    /**
     * The largest epoch at or below {@code requested} with the offset after its last record (Kafka's
     * {@code LeaderEpochFileCache.endOffsetFor} over a history of one epoch): the current epoch ends at the log
     * end offset; an epoch newer than any, or -1, is undefined; an epoch older than any (below -1) ends where the
     * first epoch starts, at the log start offset.
     */
    static EpochEndOffset endOffsetFor(int requested, PartitionLog log) {
        if (requested == CURRENT)
            return new EpochEndOffset(CURRENT, log.logEndOffset());
        if (requested < OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH)
            return new EpochEndOffset(requested, log.logStartOffset());
        return EpochEndOffset.UNDEFINED;
    }
}
