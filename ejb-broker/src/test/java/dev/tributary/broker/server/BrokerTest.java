package dev.tributary.broker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.cluster.BrokerIdentity;
import dev.tributary.broker.cluster.BrokerStatus;
import dev.tributary.broker.cluster.ClusterStatus;
import dev.tributary.broker.cluster.PartitionCounts;
import dev.tributary.broker.group.GroupCoordinatorConfig;
import dev.tributary.broker.records.NewRecord;
import dev.tributary.broker.topic.NewTopic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerTest {

    @TempDir
    Path dataDir;

    @Test
    void restartRestoresTopicsConfigsAndRecords() {
        try (Broker broker = Broker.start(BrokerConfig.embedded(dataDir), Clock.systemUTC())) {
            broker.topicAdministration().create(new NewTopic("events", 2, (short) 1, Map.of("retention.ms", "60000")));
            broker.writer().append("events", List.of(record(0, "a"), record(1, "b"), record(1, "c")));
        }
        try (Broker broker = Broker.start(BrokerConfig.embedded(dataDir), Clock.systemUTC())) {
            assertEquals(List.of("events"), broker.topicMetadata().topicNames());
            assertEquals("60000", broker.topicMetadata().describe("events").configs().get("retention.ms"));
            assertEquals(List.of("b", "c"), broker.reader().read("events", 1, 0, 10).records().stream()
                    .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList());
            assertEquals(1, broker.reader().read("events", 0, 0, 10).records().size());
        }
    }

    @Test
    void aBrokerAloneIsBrokerZeroAndStaysItAcrossRestarts() {
        BrokerIdentity identity;
        try (Broker broker = Broker.start(BrokerConfig.embedded(dataDir), Clock.systemUTC())) {
            identity = broker.identity();
            assertEquals(Broker.SINGLE_BROKER_ID, identity.brokerId());
            broker.topicAdministration().create(new NewTopic("events", 1, (short) 1, Map.of()));
            assertEquals(Broker.SINGLE_BROKER_ID, broker.topicMetadata().describe("events").partitions().get(0).leader());
        }
        try (Broker broker = Broker.start(BrokerConfig.embedded(dataDir), Clock.systemUTC())) {
            assertEquals(identity, broker.identity(), "same id and cluster id from meta.properties");
        }
    }

    /** Without a data grid the broker is a cluster of one: alive, controller, and registered with its addresses. */
    @Test
    void aBrokerWithoutADataGridIsItsOwnController() {
        try (Broker broker = Broker.start(BrokerConfig.embedded(dataDir), Clock.systemUTC())) {
            broker.topicAdministration().create(new NewTopic("events", 3, (short) 1, Map.of()));
            broker.joinCluster(Optional.empty(), "127.0.0.1:9092", Optional.of("http://127.0.0.1:8080/"));

            ClusterStatus status = broker.clusterStatus();

            assertEquals(broker.identity().clusterId(), status.clusterId());
            assertEquals(Optional.of(0), status.controllerId());
            assertEquals(List.of(new BrokerStatus(0, Optional.of("127.0.0.1:9092"),
                    Optional.of("http://127.0.0.1:8080/"), true, true)), status.brokers());
            assertEquals(new PartitionCounts(3, 0, 0), status.partitions());
        }
    }

    @Test
    void secondBrokerOnTheSameDataDirectoryFailsFast() {
        try (Broker first = Broker.start(BrokerConfig.embedded(dataDir), Clock.systemUTC())) {
            KafkaStorageException failure = assertThrows(KafkaStorageException.class,
                    () -> Broker.start(BrokerConfig.embedded(dataDir), Clock.systemUTC()));
            assertTrue(failure.getMessage().contains("in use"), failure.getMessage());
            first.topicAdministration().create(new NewTopic("still-works", 1, (short) 1, Map.of()));
        }
    }

    @Test
    void groupCoordinatorRunsWithTheConfiguredSettings() {
        GroupCoordinatorConfig noDelay = GroupCoordinatorConfig.defaults().withInitialRebalanceDelayMs(0);
        try (Broker broker = Broker.start(BrokerConfig.embedded(dataDir).withGroups(noDelay), Clock.systemUTC())) {
            assertEquals(noDelay, broker.groups().config());
        }
    }

    @Test
    void configToStringHidesThePassword() {
        BrokerConfig config = new BrokerConfig(dataDir, java.util.Optional.of("jdbc:postgresql://db/t"),
                java.util.Optional.of("broker"), java.util.Optional.of("s3cret"), 1000,
                GroupCoordinatorConfig.defaults(), dev.tributary.broker.security.AclConfig.disabled(),
                dev.tributary.broker.replication.ReplicationConfig.defaults(),
                dev.tributary.broker.log.CleanerConfig.defaults(),
                dev.tributary.broker.log.ScrubberConfig.defaults(),
                dev.tributary.broker.txn.TransactionCoordinatorConfig.defaults(), 2);
        assertTrue(!config.toString().contains("s3cret"), config::toString);
    }

    private static NewRecord record(int partition, String value) {
        return new NewRecord(OptionalInt.of(partition), null, value.getBytes(StandardCharsets.UTF_8), List.of(),
                OptionalLong.empty());
    }
}
