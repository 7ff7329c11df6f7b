package dev.tributary.broker.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.broker.cluster.BrokerIdentity;
import dev.tributary.broker.cluster.RegisteredBroker;
import dev.tributary.broker.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broker identities allocated from one shared database: what makes ids unique across brokers. Every "broker" here
 * opens the database itself, as separate processes would.
 */
class JpaBrokerRegistryTest {

    private static final int BROKERS = 4;

    @TempDir
    Path root;

    /** A named in-memory H2 database stays open while any connection to it is: one database, several openers. */
    @Test
    void brokersSharingAnH2DatabaseGetDifferentIdsThatSurviveRestarts() throws Exception {
        String url = "jdbc:h2:mem:brokers-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        sharedDatabase(() -> MetadataDatabase.open(root, Optional.of(url), Optional.empty(), Optional.empty()));
    }

    @Test
    void brokersSharingAPostgresDatabaseGetDifferentIdsThatSurviveRestarts() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            sharedDatabase(() -> MetadataDatabase.open(root, Optional.of(postgres.jdbcUrl()), Optional.of("postgres"),
                    Optional.empty()));
        }
    }

    private void sharedDatabase(Supplier<MetadataDatabase> databases) throws Exception {
        List<MetadataDatabase> opened = new ArrayList<>();
        try {
            for (int i = 0; i < BROKERS; i++) {
                opened.add(databases.get());
            }
            // All brokers start at once: each allocates its id while the others do.
            List<Path> dataDirs = new ArrayList<>();
            for (int i = 0; i < BROKERS; i++) {
                dataDirs.add(Files.createDirectories(root.resolve("broker-" + i)));
            }
            List<BrokerIdentity> identities = startTogether(opened, dataDirs);

            String clusterId = identities.get(0).clusterId();
            Set<Integer> ids = new HashSet<>();
            for (BrokerIdentity identity : identities) {
                assertEquals(clusterId, identity.clusterId(), "one database, one cluster: " + identities);
                ids.add(identity.brokerId());
            }
            assertEquals(Set.of(0, 1, 2, 3), ids, "unique, and dense from 0: " + identities);

            // Restarts, in another order: every data directory keeps its id.
            for (int i = BROKERS - 1; i >= 0; i--) {
                assertEquals(identities.get(i), BrokerIdentity.establish(dataDirs.get(i),
                        opened.get(i).brokerRegistry(), Clock.systemUTC()));
            }
            JpaBrokerRegistry registry = opened.get(0).brokerRegistry();
            registry.recordAddresses(2, "10.0.0.2:9092", "http://10.0.0.2:8080/", Instant.ofEpochMilli(5));
            RegisteredBroker two = opened.get(1).brokerRegistry().list().get(2);
            assertEquals(Optional.of("10.0.0.2:9092"), two.kafkaAddress());
            assertEquals(Optional.of("http://10.0.0.2:8080/"), two.httpUrl());
            assertEquals(List.of(0, 1, 2, 3), registry.list().stream().map(RegisteredBroker::id).toList());

            // A fresh data directory later is a new broker, never one of the old ids.
            BrokerIdentity late = BrokerIdentity.establish(Files.createDirectories(root.resolve("late")), registry,
                    Clock.systemUTC());
            assertEquals(4, late.brokerId());
        } finally {
            opened.forEach(MetadataDatabase::close);
        }
    }

    private static List<BrokerIdentity> startTogether(List<MetadataDatabase> databases, List<Path> dataDirs)
            throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(databases.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<BrokerIdentity>> starts = new ArrayList<>();
            for (int i = 0; i < databases.size(); i++) {
                MetadataDatabase database = databases.get(i);
                Path dataDir = dataDirs.get(i);
                Callable<BrokerIdentity> start = () -> {
                    go.await();
                    return BrokerIdentity.establish(dataDir, database.brokerRegistry(), Clock.systemUTC());
                };
                starts.add(threads.submit(start));
            }
            go.countDown();
            List<BrokerIdentity> identities = new ArrayList<>();
            for (Future<BrokerIdentity> start : starts) {
                identities.add(start.get());
            }
            return identities;
        } finally {
            threads.shutdownNow();
        }
    }
}
