package dev.tributary.broker.server;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything a broker needs to start.
 *
 * @param dataDir        where partition logs (and, by default, the metadata database) live
 * @param dbUrl          JDBC URL of the metadata database; empty for embedded H2 in {@code dataDir}
 * @param maintenanceIntervalMs how often retention and time-based flushes run
 */
public record BrokerConfig(Path dataDir, Optional<String> dbUrl, Optional<String> dbUser,
                           Optional<String> dbPassword, long maintenanceIntervalMs) {

    public static final long DEFAULT_MAINTENANCE_INTERVAL_MS = 30_000;

    public static BrokerConfig embedded(Path dataDir) {
        return new BrokerConfig(dataDir, Optional.empty(), Optional.empty(), Optional.empty(),
                DEFAULT_MAINTENANCE_INTERVAL_MS);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "BrokerConfig[dataDir=" + dataDir + ", dbUrl=" + dbUrl.orElse("embedded H2") + ", dbUser="
                + dbUser.orElse("") + ", maintenanceIntervalMs=" + maintenanceIntervalMs + "]";
    }
}
