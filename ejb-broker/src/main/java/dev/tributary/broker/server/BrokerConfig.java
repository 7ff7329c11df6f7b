package dev.tributary.broker.server;

import dev.tributary.broker.group.GroupCoordinatorConfig;
import dev.tributary.broker.log.CleanerConfig;
import dev.tributary.broker.log.ScrubberConfig;
import dev.tributary.broker.replication.ReplicationConfig;
import dev.tributary.broker.security.AclConfig;
import dev.tributary.broker.txn.TransactionCoordinatorConfig;
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
 * @param cleaner        the log cleaner's threads, memory, I/O limit and back-off (compaction)
 * @param scrub          how the log scrubber re-reads sealed segments to find corrupt data
 * @param transactions   the transaction coordinator's timeouts
 */
public record BrokerConfig(Path dataDir, Optional<String> dbUrl, Optional<String> dbUser,
                           Optional<String> dbPassword, long maintenanceIntervalMs, GroupCoordinatorConfig groups,
                           AclConfig acls, ReplicationConfig replication, CleanerConfig cleaner,
                           ScrubberConfig scrub, TransactionCoordinatorConfig transactions) {

    public static final long DEFAULT_MAINTENANCE_INTERVAL_MS = 30_000;

    public static BrokerConfig embedded(Path dataDir) {
        return new BrokerConfig(dataDir, Optional.empty(), Optional.empty(), Optional.empty(),
                DEFAULT_MAINTENANCE_INTERVAL_MS, GroupCoordinatorConfig.defaults(), AclConfig.disabled(),
                ReplicationConfig.defaults(), CleanerConfig.defaults(), ScrubberConfig.defaults(),
                TransactionCoordinatorConfig.defaults());
    }

    public BrokerConfig withGroups(GroupCoordinatorConfig newGroups) {
        return new BrokerConfig(dataDir, dbUrl, dbUser, dbPassword, maintenanceIntervalMs, newGroups, acls,
                replication, cleaner, scrub, transactions);
    }

    public BrokerConfig withAcls(AclConfig newAcls) {
        return new BrokerConfig(dataDir, dbUrl, dbUser, dbPassword, maintenanceIntervalMs, groups, newAcls,
                replication, cleaner, scrub, transactions);
    }

    /** This configuration on a shared metadata database, as a broker of a cluster. */
    public BrokerConfig withDatabase(String url, Optional<String> user, Optional<String> password) {
        return new BrokerConfig(dataDir, Optional.of(url), user, password, maintenanceIntervalMs, groups, acls,
                replication, cleaner, scrub, transactions);
    }

    public BrokerConfig withReplication(ReplicationConfig newReplication) {
        return new BrokerConfig(dataDir, dbUrl, dbUser, dbPassword, maintenanceIntervalMs, groups, acls,
                newReplication, cleaner, scrub, transactions);
    }

    public BrokerConfig withCleaner(CleanerConfig newCleaner) {
        return new BrokerConfig(dataDir, dbUrl, dbUser, dbPassword, maintenanceIntervalMs, groups, acls,
                replication, newCleaner, scrub, transactions);
    }

    public BrokerConfig withScrub(ScrubberConfig newScrub) {
        return new BrokerConfig(dataDir, dbUrl, dbUser, dbPassword, maintenanceIntervalMs, groups, acls,
                replication, cleaner, newScrub, transactions);
    }

    public BrokerConfig withTransactions(TransactionCoordinatorConfig newTransactions) {
        return new BrokerConfig(dataDir, dbUrl, dbUser, dbPassword, maintenanceIntervalMs, groups, acls,
                replication, cleaner, scrub, newTransactions);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "BrokerConfig[dataDir=" + dataDir + ", dbUrl=" + dbUrl.orElse("embedded H2") + ", dbUser="
                + dbUser.orElse("") + ", maintenanceIntervalMs=" + maintenanceIntervalMs + ", groups=" + groups
                + ", acls=" + acls + ", replication=" + replication + ", cleaner=" + cleaner + ", scrub=" + scrub
                + ", transactions=" + transactions + "]";
    }
}
