package dev.tributary.broker.replication;

import java.util.Optional;

/**
 * How replicas keep up, under Kafka's broker-config names.
 *
 * @param replicaLagTimeMaxMs      {@code replica.lag.time.max.ms}: a follower that has not caught up with the
 *                                 leader's log end for this long leaves the in-sync replicas
 * @param replicaFetchWaitMaxMs    {@code replica.fetch.wait.max.ms}: how long a follower's fetch waits at the
 *                                 leader for new records
 * @param replicaFetchMaxBytes     {@code replica.fetch.max.bytes}: per partition and fetch
 * @param replicaFetchBackoffMs    {@code replica.fetch.backoff.ms}: pause after a failed fetch
 * @param metadataRefreshMs        how often each broker reads the shared database's metadata version, the
 *                                 longest another broker's change takes to arrive here
 * @param brokerSessionTimeoutMs   {@code broker.session.timeout.ms}: a broker whose heartbeats to the metadata
 *                                 database stop for this long (on the database's clock) has lost its session, and
 *                                 with it the partitions it leads and, if it held it, the controller lease
 * @param brokerHeartbeatIntervalMs {@code broker.heartbeat.interval.ms}: how often a broker renews its session
 * @param login                    whom brokers authenticate as to each other; none for a listener without SASL
 */
public record ReplicationConfig(long replicaLagTimeMaxMs, int replicaFetchWaitMaxMs, int replicaFetchMaxBytes,
                                long replicaFetchBackoffMs, long metadataRefreshMs, long brokerSessionTimeoutMs,
                                long brokerHeartbeatIntervalMs, Optional<InterBrokerLogin> login) {

    public ReplicationConfig {
        if (replicaLagTimeMaxMs < 1 || replicaFetchWaitMaxMs < 0 || replicaFetchMaxBytes < 1
                || replicaFetchBackoffMs < 0 || metadataRefreshMs < 1 || brokerHeartbeatIntervalMs < 1
                || brokerSessionTimeoutMs < 2 * brokerHeartbeatIntervalMs || login == null)
            throw new IllegalArgumentException("Invalid replication settings: " + this);
    }

    /**
     * Kafka's defaults, a metadata read every 200 ms, a heartbeat every second and a 6 s session (Kafka's is 9 s:
     * failover after a broker dies silently takes about this long), no inter-broker login.
     */
    public static ReplicationConfig defaults() {
        return new ReplicationConfig(30_000, 500, 1_048_576, 1_000, 200, 6_000, 1_000, Optional.empty());
    }

    /**
     * How long after its last successful heartbeat began a broker stops acknowledging {@code acks=all} writes
     * and acting as controller: three quarters of the session, so that it has stopped at least a quarter of the
     * session (and at least one heartbeat interval) before the database lets anyone replace it.
     */
    public long fenceAfterMs() {
        return brokerSessionTimeoutMs - Math.max(brokerHeartbeatIntervalMs, brokerSessionTimeoutMs / 4);
    }

    public ReplicationConfig withReplicaLagTimeMaxMs(long ms) {
        return new ReplicationConfig(ms, replicaFetchWaitMaxMs, replicaFetchMaxBytes, replicaFetchBackoffMs,
                metadataRefreshMs, brokerSessionTimeoutMs, brokerHeartbeatIntervalMs, login);
    }

    public ReplicationConfig withLogin(Optional<InterBrokerLogin> newLogin) {
        return new ReplicationConfig(replicaLagTimeMaxMs, replicaFetchWaitMaxMs, replicaFetchMaxBytes,
                replicaFetchBackoffMs, metadataRefreshMs, brokerSessionTimeoutMs, brokerHeartbeatIntervalMs, newLogin);
    }

    public ReplicationConfig withBrokerSession(long sessionTimeoutMs, long heartbeatIntervalMs) {
        return new ReplicationConfig(replicaLagTimeMaxMs, replicaFetchWaitMaxMs, replicaFetchMaxBytes,
                replicaFetchBackoffMs, metadataRefreshMs, sessionTimeoutMs, heartbeatIntervalMs, login);
    }
}
