package dev.tributary.broker.log;

/**
 * One entry of a {@link LeaderEpochHistory} (Kafka's {@code EpochEntry}): the leader epoch under which the records
 * from {@code startOffset} on were appended, up to the next entry's start offset.
 *
 * @param epoch       leader epoch, at least 0
 * @param startOffset offset of the first record of the epoch (or where the epoch began, if it has none yet)
 */
record EpochEntry(int epoch, long startOffset) {

    EpochEntry {
        if (epoch < 0 || startOffset < 0)
            throw new IllegalArgumentException("Invalid leader epoch entry: epoch " + epoch + ", start offset "
                    + startOffset);
    }
}
