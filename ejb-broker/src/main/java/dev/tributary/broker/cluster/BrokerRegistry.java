package dev.tributary.broker.cluster;

import java.time.Instant;
import java.util.List;

/**
 * The brokers of one cluster, kept in its metadata database: the cluster's own id, and every broker id ever handed
 * out. Implementations commit each call before returning and are safe for brokers that call them concurrently
 * from different processes on the same database.
 */
public interface BrokerRegistry {

    /** This database's cluster id, created by the first caller if the database has none yet. */
    String clusterId(Instant now);

    /** Hands out a broker id that no other broker of this database has or had: 0 for the first. */
    int register(Instant now);

    boolean isRegistered(int brokerId);

    /** Remembers where {@code brokerId} serves, so that it can be listed while it is down. */
    void recordAddresses(int brokerId, String kafkaAddress, String httpUrl, Instant now);

    /** Every registered broker, by id. */
    List<RegisteredBroker> list();
}
