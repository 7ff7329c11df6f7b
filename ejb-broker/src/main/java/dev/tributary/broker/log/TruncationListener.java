package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;

/**
 * Told by a {@link PartitionLog} that it is about to remove every record at and above an offset (a follower's
 * truncation, or emptying the log). The {@link LogCleaner} listens: a cleaning of that log must not replace
 * segments the truncation changes, and its checkpoint must not claim offsets that will be written again.
 *
 * <p>Called under the log's write lock: it must not block or call back into the log.
 */
@FunctionalInterface
interface TruncationListener {
    TruncationListener NONE = (tp, offset) -> { };

    /** Records at and above {@code offset} are being removed from the log of {@code tp}. */
    void truncated(TopicPartition tp, long offset);
}
