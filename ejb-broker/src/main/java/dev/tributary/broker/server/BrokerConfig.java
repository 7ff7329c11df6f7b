package dev.tributary.broker.server;

import dev.tributary.broker.group.GroupCoordinatorConfig;
import dev.tributary.broker.security.AclConfig;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything a broker needs to start.
 *
 * @param dataDir        where partition logs (and, by default, the metadata database) live
 * @param dbUrl          JDBC URL of the metadata database; empty for embedded H2 in {@code dataDir}
 * @param maintenanceIntervalMs how often retention and time-based flushes run
 * @param groups         the consumer-group coordinator's settings
 * @param acls           whether Kafka-protocol requests are checked against ACLs, and who is exempt
 */
public record BrokerConfig(Path dataDir, Optional<String> dbUrl, Optional<String> dbUser,
                           Optional<String> dbPassword, long maintenanceIntervalMs, GroupCoordinatorConfig groups,
                           AclConfig acls) {

    public static final long DEFAULT_MAINTENANCE_INTERVAL_MS = 30_000;

    public static BrokerConfig embedded(Path dataDir) {
        return new BrokerConfig(dataDir, Optional.empty(), Optional.empty(), Optional.empty(),
                DEFAULT_MAINTENANCE_INTERVAL_MS, GroupCoordinatorConfig.defaults(), AclConfig.disabled());
    }

    public BrokerConfig withGroups(GroupCoordinatorConfig newGroups) {
        return new BrokerConfig(dataDir, dbUrl, dbUser, dbPassword, maintenanceIntervalMs, newGroups, acls);
    }

    public BrokerConfig withAcls(AclConfig newAcls) {
        return new BrokerConfig(dataDir, dbUrl, dbUser, dbPassword, maintenanceIntervalMs, groups, newAcls);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "BrokerConfig[dataDir=" + dataDir + ", dbUrl=" + dbUrl.orElse("embedded H2") + ", dbUser="
                + dbUser.orElse("") + ", maintenanceIntervalMs=" + maintenanceIntervalMs + ", groups=" + groups + ", acls=" + acls + "]";
    }
}
