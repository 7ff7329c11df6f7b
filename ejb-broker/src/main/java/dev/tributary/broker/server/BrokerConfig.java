package dev.tributary.broker.server;

import dev.tributary.broker.group.GroupCoordinatorConfig;
import dev.tributary.broker.log.ScrubberConfig;
import dev.tributary.broker.replication.ReplicationConfig;
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
 * @param replication    how followers fetch and when they fall out of sync
 * @param scrub          how the log scrubber re-reads sealed segments to find corrupt data
 */
public record BrokerConfig(Path dataDir, Optional<String> dbUrl, Optional<String> dbUser,
                           Optional<String> dbPassword, long maintenanceIntervalMs, GroupCoordinatorConfig groups,
                           AclConfig acls, ReplicationConfig replication, ScrubberConfig scrub) {

    public static final long DEFAULT_MAINTENANCE_INTERVAL_MS = 30_000;

    public static BrokerConfig embedded(Path dataDir) {
        return new BrokerConfig(dataDir, Optional.empty(), Optional.empty(), Optional.empty(),
                DEFAULT_MAINTENANCE_INTERVAL_MS, GroupCoordinatorConfig.defaults(), AclConfig.disabled(),
                ReplicationConfig.defaults(), ScrubberConfig.defaults());
    }

    public BrokerConfig withGroups(GroupCoordinatorConfig newGroups) {
        return new BrokerConfig(dataDir, dbUrl, dbUser, dbPassword, maintenanceIntervalMs, newGroups, acls,
                replication, scrub);
    }

    public BrokerConfig withAcls(AclConfig newAcls) {
        return new BrokerConfig(dataDir, dbUrl, dbUser, dbPassword, maintenanceIntervalMs, groups, newAcls,
                replication, scrub);
    }

    /** This configuration on a shared metadata database, as a broker of a cluster. */
    public BrokerConfig withDatabase(String url, Optional<String> user, Optional<String> password) {
        return new BrokerConfig(dataDir, Optional.of(url), user, password, maintenanceIntervalMs, groups, acls,
                replication, scrub);
    }

    public BrokerConfig withReplication(ReplicationConfig newReplication) {
        return new BrokerConfig(dataDir, dbUrl, dbUser, dbPassword, maintenanceIntervalMs, groups, acls,
                newReplication, scrub);
    }

    public BrokerConfig withScrub(ScrubberConfig newScrub) {
        return new BrokerConfig(dataDir, dbUrl, dbUser, dbPassword, maintenanceIntervalMs, groups, acls,
                replication, newScrub);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "BrokerConfig[dataDir=" + dataDir + ", dbUrl=" + dbUrl.orElse("embedded H2") + ", dbUser="
                + dbUser.orElse("") + ", maintenanceIntervalMs=" + maintenanceIntervalMs + ", groups=" + groups + ", acls=" + acls
                + ", replication=" + replication + ", scrub=" + scrub + "]";
    }
}
