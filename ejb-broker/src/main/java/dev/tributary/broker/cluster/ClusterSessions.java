package dev.tributary.broker.cluster;

/**
 * Broker sessions in the shared metadata database (Kafka's broker heartbeats to its controller): each broker
 * renews its own, and an expiry is written and judged on the database's clock, so brokers' clocks never matter.
 * Implementations run each call as one committed transaction.
 *
 * @throws RuntimeException from any method when the database cannot be reached; nothing was renewed then
 */
public interface ClusterSessions {

    /**
     * Renews {@code brokerId}'s session to expire {@code sessionTimeoutMs} after the database's now, and reads
     * every session and the controller lease in the same transaction.
     */
    SessionSnapshot heartbeat(int brokerId, long sessionTimeoutMs);

    /** Expires {@code brokerId}'s session now: a broker stopping cleanly lets the controller replace it at once. */
    void endSession(int brokerId);
}
