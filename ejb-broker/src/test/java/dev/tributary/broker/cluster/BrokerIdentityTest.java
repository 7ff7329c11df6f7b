package dev.tributary.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerIdentityTest {

    @TempDir
    Path root;

    private final Clock clock = Clock.systemUTC();

    /** The registry's contract in memory; the JPA one is tested against H2 and PostgreSQL in metadata. */
    private static final class InMemoryRegistry implements BrokerRegistry {
        private final String clusterId;
        private final List<Integer> registered = new ArrayList<>();

        InMemoryRegistry(String clusterId) {
            this.clusterId = clusterId;
        }

        @Override
        public String clusterId(Instant now) {
            return clusterId;
        }

        @Override
        public synchronized int register(Instant now) {
            registered.add(registered.size());
            return registered.size() - 1;
        }

        @Override
        public synchronized boolean isRegistered(int brokerId) {
            return registered.contains(brokerId);
        }

        @Override
        public void recordAddresses(int brokerId, String kafkaAddress, String httpUrl, Instant now) {
        }

        @Override
        public List<RegisteredBroker> list() {
            return List.of();
        }
    }

    private Path dataDir(String name) throws IOException {
        return Files.createDirectories(root.resolve(name));
    }

    @Test
    void theFirstStartAllocatesAnIdAndEveryLaterStartKeepsIt() throws IOException {
        InMemoryRegistry registry = new InMemoryRegistry("cluster-a");
        Path dataDir = dataDir("a");

        BrokerIdentity first = BrokerIdentity.establish(dataDir, registry, clock);
        BrokerIdentity again = BrokerIdentity.establish(dataDir, registry, clock);

        assertEquals(new BrokerIdentity(0, "cluster-a"), first);
        assertEquals(first, again);
        assertEquals(List.of(0), registry.registered, "allocated once, not on every start");
        assertEquals(Optional.of(first), MetaProperties.read(dataDir));
    }

    @Test
    void dataDirectoriesOfOneClusterGetDifferentIds() throws IOException {
        InMemoryRegistry registry = new InMemoryRegistry("cluster-a");
        BrokerIdentity a = BrokerIdentity.establish(dataDir("a"), registry, clock);
        BrokerIdentity b = BrokerIdentity.establish(dataDir("b"), registry, clock);
        assertNotEquals(a.brokerId(), b.brokerId());
    }

    @Test
    void aDataDirectoryOfAnotherClusterIsRefused() throws IOException {
        Path dataDir = dataDir("a");
        BrokerIdentity.establish(dataDir, new InMemoryRegistry("cluster-a"), clock);

        InvalidMetaPropertiesException failure = assertThrows(InvalidMetaPropertiesException.class,
                () -> BrokerIdentity.establish(dataDir, new InMemoryRegistry("cluster-b"), clock));
        assertTrue(failure.getMessage().contains("belongs to cluster cluster-a, but the metadata database is cluster"
                + " cluster-b"), failure.getMessage());
        assertTrue(failure.getMessage().contains("--db-url"), failure.getMessage());
    }

    @Test
    void anIdTheDatabaseDoesNotKnowIsRefused() throws IOException {
        Path dataDir = dataDir("a");
        MetaProperties.write(dataDir, new BrokerIdentity(7, "cluster-a"));

        InvalidMetaPropertiesException failure = assertThrows(InvalidMetaPropertiesException.class,
                () -> BrokerIdentity.establish(dataDir, new InMemoryRegistry("cluster-a"), clock));
        assertTrue(failure.getMessage().contains("broker 7 of cluster cluster-a, but the metadata database has no"
                + " such broker"), failure.getMessage());
    }

    @Test
    void corruptOrForeignMetaPropertiesAreRefusedWithTheReason() throws IOException {
        refused("", "no tributary.meta.version");
        refused("# Kafka's own\nversion=1\nnode.id=1\ncluster.id=abc\n", "a Kafka broker's data directory?");
        refused("tributary.meta.version=2\ncluster.id=c\nbroker.id=1\n", "this broker reads version 1");
        refused("tributary.meta.version=1\nbroker.id=1\n", "it has no cluster.id");
        refused("tributary.meta.version=1\ncluster.id=c\nbroker.id=one\n", "broker.id must be a whole number");
        refused("tributary.meta.version=1\ncluster.id=c\nbroker.id=-3\n", "must not be negative");
        refused("tributary.meta.version=1\ncluster.id=c\nbroker.id=\\u12\n", "not a properties file");
    }

    private void refused(String content, String reason) throws IOException {
        Path dataDir = Files.createTempDirectory(root, "corrupt");
        Files.writeString(dataDir.resolve(MetaProperties.FILE_NAME), content);
        InMemoryRegistry registry = new InMemoryRegistry("c");

        InvalidMetaPropertiesException failure = assertThrows(InvalidMetaPropertiesException.class,
                () -> BrokerIdentity.establish(dataDir, registry, clock), content);
        assertTrue(failure.getMessage().contains(reason), reason + " in " + failure.getMessage());
        assertTrue(failure.getMessage().contains(dataDir.resolve("meta.properties").toString()), "names the file");
        assertEquals(List.of(), registry.registered, "never replaced by a new identity");
        assertEquals(content, Files.readString(dataDir.resolve(MetaProperties.FILE_NAME)), "left as it was");
    }

    @Test
    void theFileIsWrittenWholeWithNoTemporaryLeftBehind() throws IOException {
        Path dataDir = dataDir("a");
        MetaProperties.write(dataDir, new BrokerIdentity(4, "cluster-a"));
        MetaProperties.write(dataDir, new BrokerIdentity(5, "cluster-a"));

        assertEquals(Optional.of(new BrokerIdentity(5, "cluster-a")), MetaProperties.read(dataDir));
        try (var files = Files.list(dataDir)) {
            assertEquals(List.of("meta.properties"), files.map(p -> p.getFileName().toString()).toList());
        }
    }
}
