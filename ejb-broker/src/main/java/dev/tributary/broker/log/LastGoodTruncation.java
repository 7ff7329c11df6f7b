package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;

/**
 * What {@link PartitionLog#truncateToLastGood()} did.
 *
 * @param partition          the partition
 * @param damage             the damage the log carried
 * @param logEndOffsetBefore the log end offset before
 * @param logEndOffset       the log end offset after: the offset after the last good batch below the damage (or the
 *                           log start offset, if the damage lay below it)
 * @param recordsDropped     how many offsets the truncation removed, {@code logEndOffsetBefore - logEndOffset}
 * @param outcome            in words: what was cut, or why nothing had to be
 */
public record LastGoodTruncation(TopicPartition partition, CorruptBatch damage, long logEndOffsetBefore,
                                 long logEndOffset, long recordsDropped, String outcome) {
}
