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
 * @param login                    whom brokers authenticate as to each other; none for a listener without SASL
 */
public record ReplicationConfig(long replicaLagTimeMaxMs, int replicaFetchWaitMaxMs, int replicaFetchMaxBytes,
                                long replicaFetchBackoffMs, long metadataRefreshMs,
                                Optional<InterBrokerLogin> login) {

    public ReplicationConfig {
        if (replicaLagTimeMaxMs < 1 || replicaFetchWaitMaxMs < 0 || replicaFetchMaxBytes < 1
                || replicaFetchBackoffMs < 0 || metadataRefreshMs < 1 || login == null)
            throw new IllegalArgumentException("Invalid replication settings: " + this);
    }

    /** Kafka's defaults, a metadata read every 200 ms, no inter-broker login. */
    public static ReplicationConfig defaults() {
        return new ReplicationConfig(30_000, 500, 1_048_576, 1_000, 200, Optional.empty());
    }

    public ReplicationConfig withReplicaLagTimeMaxMs(long ms) {
        return new ReplicationConfig(ms, replicaFetchWaitMaxMs, replicaFetchMaxBytes, replicaFetchBackoffMs,
                metadataRefreshMs, login);
    }

    public ReplicationConfig withLogin(Optional<InterBrokerLogin> newLogin) {
        return new ReplicationConfig(replicaLagTimeMaxMs, replicaFetchWaitMaxMs, replicaFetchMaxBytes,
                replicaFetchBackoffMs, metadataRefreshMs, newLogin);
    }
}
