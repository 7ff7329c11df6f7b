package dev.tributary.rest.dto;

/**
 * One broker of the cluster in {@code GET /stats/brokers}: its {@code GET /stats}, or why they could not be had.
 *
 * @param alive     whether the cluster counts it alive (registered brokers that are down are listed too)
 * @param local     whether it is the broker that answered the request
 * @param reachable whether its stats came back; {@code false} for a broker that is down, announced no REST URL, did
 *                  not answer in time or answered with an error
 * @param problem   why it is unreachable, as a sentence; absent when reachable
 * @param stats     its counters and disk use; absent when unreachable
 */
public record BrokerStatsEntry(int id, boolean alive, boolean local, boolean reachable, String problem,
                               BrokerStats stats) {

    public static BrokerStatsEntry reached(int id, boolean local, BrokerStats stats) {
        return new BrokerStatsEntry(id, true, local, true, null, stats);
    }

    public static BrokerStatsEntry unreachable(int id, boolean alive, String problem) {
        return new BrokerStatsEntry(id, alive, false, false, problem, null);
    }
}
