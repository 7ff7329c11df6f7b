package dev.tributary.rest.dto;

import dev.tributary.broker.replication.TruncateToLastGood;

/**
 * {@code POST /topics/{name}/partitions/{p}/truncate-to-last-good}: what the truncation of this broker's corrupt
 * replica did.
 *
 * @param damage             the corrupt batch the replica held: where, from which offset, what, found by whom
 * @param logEndOffsetBefore the replica's log end offset before
 * @param logEndOffset       its log end offset now: new records get offsets from here on
 * @param recordsDropped     how many offsets the truncation removed
 * @param outcome            what was cut, or why nothing had to be
 */
public record LastGoodTruncationDto(String topic, int partition, String damage, long logEndOffsetBefore,
                                    long logEndOffset, long recordsDropped, String outcome) {

    public static LastGoodTruncationDto of(TruncateToLastGood.Truncated done) {
        return new LastGoodTruncationDto(done.topic(), done.partition(), done.damage(), done.logEndOffsetBefore(),
                done.logEndOffset(), done.recordsDropped(), done.outcome());
    }
}
