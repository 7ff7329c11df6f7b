package dev.tributary.broker.cluster;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Which broker this is: an integer id unique in its cluster, and the id of that cluster (its metadata database).
 * The pair lives in the data directory ({@link MetaProperties}), so the id survives restarts and follows the data
 * rather than the host; it is allocated once from the {@link BrokerRegistry}, so brokers sharing a database never
 * get the same id.
 */
public record BrokerIdentity(int brokerId, String clusterId) {

    private static final Logger LOG = Logger.getLogger(BrokerIdentity.class.getName());

    /**
     * Reads the identity of {@code dataDir}, or allocates one and records it there on the first start.
     *
     * @throws InvalidMetaPropertiesException if the recorded identity is unreadable, or belongs to another cluster
     *                                        or to a broker this database does not know
     */
    public static BrokerIdentity establish(Path dataDir, BrokerRegistry registry, Clock clock) {
        String clusterId = registry.clusterId(clock.instant());
        Optional<BrokerIdentity> recorded = MetaProperties.read(dataDir);
        if (recorded.isPresent()) {
            BrokerIdentity identity = recorded.get();
            Path file = MetaProperties.file(dataDir);
            if (!identity.clusterId().equals(clusterId)) {
                throw new InvalidMetaPropertiesException("Refusing to start: " + file + " says this data directory"
                        + " belongs to cluster " + identity.clusterId() + ", but the metadata database is cluster "
                        + clusterId + ". Point the broker at its own cluster's database (--db-url), or give it an"
                        + " empty data directory to join this cluster as a new broker.");
            }
            if (!registry.isRegistered(identity.brokerId())) {
                throw new InvalidMetaPropertiesException("Refusing to start: " + file + " says this is broker "
                        + identity.brokerId() + " of cluster " + clusterId + ", but the metadata database has no"
                        + " such broker. Its registration was removed; give the broker an empty data directory.");
            }
            return identity;
        }
        BrokerIdentity allocated = new BrokerIdentity(registry.register(clock.instant()), clusterId);
        MetaProperties.write(dataDir, allocated);
        LOG.info(() -> "This data directory is now broker " + allocated.brokerId() + " of cluster " + clusterId);
        return allocated;
    }
}
