package dev.tributary.broker.replication;

import dev.tributary.broker.log.LastGoodTruncation;
import java.util.Optional;

/**
 * Truncates this broker's corrupt replica of a partition to its last good batch and puts it back in service, for an
 * operator; see {@link ReplicaManager#truncateToLastGood}.
 */
@FunctionalInterface
public interface TruncateToLastGood {

    /**
     * @return what was cut; empty if the replica holds no known damage
     * @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException if the partition does not exist
     * @throws org.apache.kafka.common.errors.NotLeaderOrFollowerException     if this broker holds no replica of it
     */
    Optional<Truncated> truncate(String topic, int partition);

    /**
     * What the truncation did.
     *
     * @param damage             the corrupt batch the replica held: where, from which offset, what, found by whom
     * @param logEndOffsetBefore the replica's log end offset before
     * @param logEndOffset       its log end offset now: new records get offsets from here on
     * @param recordsDropped     how many offsets the truncation removed
     * @param outcome            what was cut, or why nothing had to be
     */
    record Truncated(String topic, int partition, String damage, long logEndOffsetBefore, long logEndOffset,
                     long recordsDropped, String outcome) {

        public static Truncated of(LastGoodTruncation done) {
            return new Truncated(done.partition().topic(), done.partition().partition(), done.damage().describe(),
                    done.logEndOffsetBefore(), done.logEndOffset(), done.recordsDropped(), done.outcome());
        }
    }
}
