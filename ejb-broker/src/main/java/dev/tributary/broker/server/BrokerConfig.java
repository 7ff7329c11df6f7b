package dev.tributary.broker.server;

import dev.tributary.broker.group.GroupCoordinatorConfig;
import dev.tributary.broker.log.CleanerConfig;
import dev.tributary.broker.log.LogManager;
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
 * @param recoveryThreads how many partition logs are opened (and after a crash recovered) at once at start
 *                        (Kafka's {@code num.recovery.threads.per.data.dir}); at least 1
 */
public record BrokerConfig(Path dataDir, Optional<String> dbUrl, Optional<String> dbUser,
                           Optional<String> dbPassword, long maintenanceIntervalMs, GroupCoordinatorConfig groups,
                           AclConfig acls, ReplicationConfig replication, CleanerConfig cleaner,
                           ScrubberConfig scrub, TransactionCoordinatorConfig transactions, int recoveryThreads) {

    public static final long DEFAULT_MAINTENANCE_INTERVAL_MS = 30_000;

    /** One per core: see {@link LogManager#DEFAULT_RECOVERY_THREADS}. */
    public static final int DEFAULT_RECOVERY_THREADS = LogManager.DEFAULT_RECOVERY_THREADS;

    /** @throws IllegalArgumentException if {@code recoveryThreads} is below 1 */
    public BrokerConfig {
        if (recoveryThreads < 1)
            throw new IllegalArgumentException("The number of log recovery threads must be at least 1, not "
                    + recoveryThreads);
    }

    public static BrokerConfig embedded(Path dataDir) {
        return new BrokerConfig(dataDir, Optional.empty(), Optional.empty(), Optional.empty(),
                DEFAULT_MAINTENANCE_INTERVAL_MS, GroupCoordinatorConfig.defaults(), AclConfig.disabled(),
                ReplicationConfig.defaults(), CleanerConfig.defaults(), ScrubberConfig.defaults(),
                TransactionCoordinatorConfig.defaults(), DEFAULT_RECOVERY_THREADS);
    }

    public BrokerConfig withGroups(GroupCoordinatorConfig newGroups) {
        return new BrokerConfig(dataDir, dbUrl, dbUser, dbPassword, maintenanceIntervalMs, newGroups, acls,
                replication, cleaner, scrub, transactions, recoveryThreads);
    }

    public BrokerConfig withAcls(AclConfig newAcls) {
        return new BrokerConfig(dataDir, dbUrl, dbUser, dbPassword, maintenanceIntervalMs, groups, newAcls,
                replication, cleaner, scrub, transactions, recoveryThreads);
    }

    /** This configuration on a shared metadata database, as a broker of a cluster. */
    public BrokerConfig withDatabase(String url, Optional<String> user, Optional<String> password) {
        return new BrokerConfig(dataDir, Optional.of(url), user, password, maintenanceIntervalMs, groups, acls,
                replication, cleaner, scrub, transactions, recoveryThreads);
    }

    public BrokerConfig withReplication(ReplicationConfig newReplication) {
        return new BrokerConfig(dataDir, dbUrl, dbUser, dbPassword, maintenanceIntervalMs, groups, acls,
                newReplication, cleaner, scrub, transactions, recoveryThreads);
    }

    public BrokerConfig withCleaner(CleanerConfig newCleaner) {
        return new BrokerConfig(dataDir, dbUrl, dbUser, dbPassword, maintenanceIntervalMs, groups, acls,
                replication, newCleaner, scrub, transactions, recoveryThreads);
    }

    public BrokerConfig withScrub(ScrubberConfig newScrub) {
        return new BrokerConfig(dataDir, dbUrl, dbUser, dbPassword, maintenanceIntervalMs, groups, acls,
                replication, cleaner, newScrub, transactions, recoveryThreads);
    }

    public BrokerConfig withTransactions(TransactionCoordinatorConfig newTransactions) {
        return new BrokerConfig(dataDir, dbUrl, dbUser, dbPassword, maintenanceIntervalMs, groups, acls,
                replication, cleaner, scrub, newTransactions, recoveryThreads);
    }

    public BrokerConfig withRecoveryThreads(int newRecoveryThreads) {
        return new BrokerConfig(dataDir, dbUrl, dbUser, dbPassword, maintenanceIntervalMs, groups, acls,
                replication, cleaner, scrub, transactions, newRecoveryThreads);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "BrokerConfig[dataDir=" + dataDir + ", dbUrl=" + dbUrl.orElse("embedded H2") + ", dbUser="
                + dbUser.orElse("") + ", maintenanceIntervalMs=" + maintenanceIntervalMs + ", groups=" + groups
                + ", acls=" + acls + ", replication=" + replication + ", cleaner=" + cleaner + ", scrub=" + scrub
                + ", transactions=" + transactions + ", recoveryThreads=" + recoveryThreads + "]";
    }
}
