package dev.tributary.broker.log;

import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;

/**
 * The answer of {@link PartitionLog#endOffsetForEpoch}, as OffsetsForLeaderEpoch carries it: the largest leader epoch
 * at or below the one asked for, and the offset after its last record. A follower truncates to {@code endOffset} if
 * its own log goes further in that epoch.
 *
 * @param leaderEpoch the epoch found, or {@link OffsetsForLeaderEpochResponse#UNDEFINED_EPOCH} (-1)
 * @param endOffset   the start offset of the next epoch, or the log end offset for the latest epoch, or
 *                    {@link OffsetsForLeaderEpochResponse#UNDEFINED_EPOCH_OFFSET} (-1)
 */
public record EpochEndOffset(int leaderEpoch, long endOffset) {

    /** The log knows no such epoch: asked for -1, or for one newer than any it has. */
    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH,
            OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH_OFFSET);
}
