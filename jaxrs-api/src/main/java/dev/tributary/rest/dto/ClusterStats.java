package dev.tributary.rest.dto;

import java.util.List;

/**
 * {@code GET /stats/brokers}: every registered broker's traffic counters and disk use, ordered by broker id.
 *
 * @param at when the answering broker put the answer together (epoch milliseconds); each broker's own
 *           {@code stats.at} is when it read its counters, the one to compute its rates with
 */
public record ClusterStats(long at, List<BrokerStatsEntry> brokers) {
}
