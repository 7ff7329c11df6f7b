package dev.tributary.rest.dto;

import java.util.List;

/**
 * {@code GET /stats}: this broker's counters since it started.
 *
 * @param at                when the counters were read (epoch milliseconds): rates are differences over differences of it
 * @param logBytes          bytes of the log segments under the broker's data directory (the records stored)
 * @param diskTotalBytes    size of the volume the data directory is on
 * @param diskUsableBytes   free space on that volume, for the broker
 */
public record BrokerStats(long at, long recordsIn, long bytesIn, long recordsOut, long bytesOut, long logBytes,
                          long diskTotalBytes, long diskUsableBytes, List<TopicTrafficDto> topics) {
}
