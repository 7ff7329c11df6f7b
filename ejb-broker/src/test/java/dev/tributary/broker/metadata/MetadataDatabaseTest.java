package dev.tributary.broker.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.group.CommittedOffset;
import dev.tributary.broker.testing.PostgresServer;
import dev.tributary.broker.topic.LeadershipStore;
import dev.tributary.broker.topic.PartitionLeadership;
import dev.tributary.broker.topic.TopicRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataDatabaseTest {

    @TempDir
    Path dataDir;

    private MetadataDatabase open() {
        return MetadataDatabase.open(dataDir, Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    void topicsRoundTripThroughTheEmbeddedDatabase() {
        roundTrip(this::open);
    }

    /** The same schema and queries work on PostgreSQL, what shared (cluster) metadata runs on. */
    @Test
    void topicsRoundTripThroughPostgres() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            roundTrip(() -> MetadataDatabase.open(dataDir, Optional.of(postgres.jdbcUrl()), Optional.of("postgres"),
                    Optional.empty()));
        }
    }

    private static void roundTrip(Supplier<MetadataDatabase> databases) {
        Instant created = Instant.ofEpochMilli(1_700_000_000_123L);
        Uuid id = new Uuid(-42L, Long.MIN_VALUE); // both halves negative: stored as signed 64-bit values
        try (MetadataDatabase db = databases.get()) {
            db.brokerRegistry().clusterId(created); // the row that carries the metadata version
            JpaTopicStore store = db.topicStore();
            JpaLeadershipStore leadership = db.leadershipStore();
            long version = leadership.metadataVersion();
            store.insert(new TopicRecord("orders", id, 3, (short) 1, Map.of("retention.ms", "1000"), created),
                    List.of(PartitionLeadership.initial("orders", 0, List.of(1, 2, 3)),
                            PartitionLeadership.initial("orders", 1, List.of(2, 3, 1)),
                            PartitionLeadership.initial("orders", 2, List.of(3, 1, 2))));
            assertThrows(TopicExistsException.class, () -> store.insert(
                    new TopicRecord("orders", Uuid.randomUuid(), 1, (short) 1, Map.of(), created), List.of()));
            store.replaceConfigOverrides("orders", Map.of("segment.bytes", "2048"));
            store.replacePartitionCount("orders", 5, List.of(PartitionLeadership.initial("orders", 3, List.of(1)),
                    PartitionLeadership.initial("orders", 4, List.of(2))));
            assertThrows(UnknownTopicOrPartitionException.class,
                    () -> store.replaceConfigOverrides("missing", Map.of()));
            assertThrows(UnknownTopicOrPartitionException.class,
                    () -> store.replacePartitionCount("missing", 2, List.of()));
            assertEquals(version + 3, leadership.metadataVersion());

            PartitionLeadership first = leadership.loadAll().get(0);
            assertEquals(PartitionLeadership.initial("orders", 0, List.of(1, 2, 3)), first);
            PartitionLeadership elected = first.withLeader(2, List.of(2, 3));
            assertTrue(leadership.compareAndSet(first, elected));
            assertFalse(leadership.compareAndSet(first, first.withIsr(List.of(1))), "a stale partition epoch");
            assertEquals(elected, leadership.loadAll().get(0));
            assertEquals(5, leadership.loadAll().size());
            assertEquals(version + 4, leadership.metadataVersion());

            PartitionLeadership second = leadership.loadAll().get(1);
            PartitionLeadership secondElected = second.withLeader(3, List.of(3, 1));
            assertEquals(List.of(secondElected), leadership.compareAndSetAll(List.of(
                    new LeadershipStore.Change(first, first.withIsr(List.of(2))),
                    new LeadershipStore.Change(second, secondElected))), "the stale change alone is refused");
            assertEquals(List.of(elected, secondElected), leadership.loadAll().subList(0, 2));
            assertEquals(version + 5, leadership.metadataVersion(), "one batch, one version");

            long block = db.producerIdBlocks().reserve(1000);
            assertEquals(block + 1000, db.producerIdBlocks().reserve(1000), "blocks follow each other, disjoint");
        }
        try (MetadataDatabase db = databases.get()) {
            List<TopicRecord> topics = db.topicStore().loadAll();
            assertEquals(List.of(new TopicRecord("orders", id, 5, (short) 1, Map.of("segment.bytes", "2048"),
                    created)), topics);
            assertTrue(db.topicStore().delete("orders"));
            assertFalse(db.topicStore().delete("orders"));
            assertEquals(List.of(), db.topicStore().loadAll());
            assertEquals(List.of(), db.leadershipStore().loadAll(), "partitions go with their topic");
        }
    }

    @Test
    void committedOffsetsRoundTripThroughTheEmbeddedDatabase() {
        offsetsRoundTrip(this::open);
    }

    /** V2 on PostgreSQL: the table, its composite key and the upsert by merge. */
    @Test
    void committedOffsetsRoundTripThroughPostgres() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            offsetsRoundTrip(() -> MetadataDatabase.open(dataDir, Optional.of(postgres.jdbcUrl()),
                    Optional.of("postgres"), Optional.empty()));
        }
    }

    private static void offsetsRoundTrip(Supplier<MetadataDatabase> databases) {
        TopicPartition t0 = new TopicPartition("orders", 0);
        TopicPartition t1 = new TopicPartition("orders", 1);
        CommittedOffset first = new CommittedOffset(10, OptionalInt.of(2), "meta", Instant.ofEpochMilli(1_000));
        CommittedOffset second = new CommittedOffset(20, OptionalInt.empty(), "", Instant.ofEpochMilli(2_000));
        try (MetadataDatabase db = databases.get()) {
            JpaOffsetStore store = db.offsetStore();
            store.commit("g1", Map.of(t0, first, t1, first));
            store.commit("g1", Map.of(t1, second));
            store.commit("g2", Map.of(t0, second));
        }
        try (MetadataDatabase db = databases.get()) {
            JpaOffsetStore store = db.offsetStore();
            assertEquals(Map.of("g1", Map.of(t0, first, t1, second), "g2", Map.of(t0, second)), store.loadAll());
            store.delete("g1", List.of(t0, new TopicPartition("absent", 0)));
            store.deleteGroup("g2");
            assertEquals(Map.of("g1", Map.of(t1, second)), store.loadAll());
        }
    }

    /**
     * A database made before committed offsets existed gets the V2 table on its next start; V3, whose changes are
     * already there, runs again harmlessly.
     */
    @Test
    void theOffsetsMigrationUpgradesAVersion1Database() throws SQLException {
        open().close();
        try (Connection connection = DriverManager.getConnection(MetadataDatabase.embeddedUrl(dataDir))) {
            connection.createStatement().execute("DROP TABLE TRIB_COMMITTED_OFFSET");
            connection.createStatement().execute("DELETE FROM TRIB_SCHEMA_VERSION WHERE VERSION >= 2");
        }
        try (MetadataDatabase db = open()) {
            CommittedOffset offset = new CommittedOffset(1, OptionalInt.empty(), "", Instant.ofEpochMilli(1));
            db.offsetStore().commit("g", Map.of(new TopicPartition("t", 0), offset));
            assertEquals(Map.of("g", Map.of(new TopicPartition("t", 0), offset)), db.offsetStore().loadAll());
        }
    }

    /** A database made before topic ids existed gets a fresh, distinct id for every topic on its next start. */
    @Test
    void theTopicIdsMigrationBackFillsAVersion2Database() throws SQLException {
        topicIdsBackFill(this::open, () -> DriverManager.getConnection(MetadataDatabase.embeddedUrl(dataDir)));
    }

    /** V3 on PostgreSQL: the same portable back-fill, column changes and unique index. */
    @Test
    void theTopicIdsMigrationBackFillsAVersion2PostgresDatabase() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            topicIdsBackFill(() -> MetadataDatabase.open(dataDir, Optional.of(postgres.jdbcUrl()),
                            Optional.of("postgres"), Optional.empty()),
                    () -> DriverManager.getConnection(postgres.jdbcUrl(), "postgres", ""));
        }
    }

    @FunctionalInterface
    private interface Connector {
        Connection connect() throws SQLException;
    }

    private static void topicIdsBackFill(Supplier<MetadataDatabase> databases, Connector connector)
            throws SQLException {
        Instant created = Instant.ofEpochMilli(1_000);
        List<String> names = List.of("a", "b", "c", "d", "e", "f", "g", "h");
        try (MetadataDatabase db = databases.get()) {
            for (String name : names) {
                db.topicStore().insert(new TopicRecord(name, Uuid.randomUuid(), 1, (short) 1, Map.of(), created),
                        List.of());
            }
        }
        // Back to schema version 2: the topic rows as they were before V3.
        try (Connection connection = connector.connect(); Statement sql = connection.createStatement()) {
            sql.execute("DROP INDEX TRIB_TOPIC_ID");
            sql.execute("ALTER TABLE TRIB_TOPIC DROP COLUMN TOPIC_ID_MSB");
            sql.execute("ALTER TABLE TRIB_TOPIC DROP COLUMN TOPIC_ID_LSB");
            sql.execute("DELETE FROM TRIB_SCHEMA_VERSION WHERE VERSION >= 3");
        }
        try (MetadataDatabase db = databases.get()) {
            List<TopicRecord> topics = db.topicStore().loadAll();
            assertEquals(names, topics.stream().map(TopicRecord::name).toList(), "no row lost");
            Set<Uuid> ids = topics.stream().map(TopicRecord::topicId).collect(Collectors.toSet());
            assertEquals(names.size(), ids.size(), "every topic has its own id: " + ids);
            for (Uuid id : ids) {
                assertNotEquals(Uuid.ZERO_UUID, id);
                assertNotEquals(Uuid.METADATA_TOPIC_ID, id);
                assertFalse(id.toString().startsWith("-"), "Kafka never starts an id's text with '-': " + id);
            }
        }
        try (Connection connection = connector.connect(); Statement sql = connection.createStatement()) {
            assertThrows(SQLException.class, () -> sql.execute("INSERT INTO TRIB_TOPIC (NAME, TOPIC_ID_MSB,"
                    + " TOPIC_ID_LSB, PARTITIONS, REPLICATION_FACTOR, CREATED_AT_MS, VERSION) VALUES ('x', NULL, 1, 1,"
                    + " 1, 1, 1)"), "the id is required from now on");
        }
    }

    /**
     * A database made before brokers had ids gets the V6 tables on its next start; the first broker to ask then
     * gets id 0, as a broker alone always had.
     */
    @Test
    void theBrokersMigrationUpgradesAVersion5Database() throws SQLException {
        open().close();
        try (Connection connection = DriverManager.getConnection(MetadataDatabase.embeddedUrl(dataDir));
             Statement sql = connection.createStatement()) {
            sql.execute("DROP TABLE TRIB_BROKER");
            sql.execute("DROP TABLE TRIB_CLUSTER");
            sql.execute("DELETE FROM TRIB_SCHEMA_VERSION WHERE VERSION >= 6");
        }
        try (MetadataDatabase db = open()) {
            JpaBrokerRegistry registry = db.brokerRegistry();
            String clusterId = registry.clusterId(Instant.ofEpochMilli(1));
            assertEquals(0, registry.register(Instant.ofEpochMilli(1)));
            assertEquals(clusterId, registry.clusterId(Instant.ofEpochMilli(2)), "created once");
        }
        try (Connection connection = DriverManager.getConnection(MetadataDatabase.embeddedUrl(dataDir));
             Statement sql = connection.createStatement()) {
            assertThrows(SQLException.class, () -> sql.execute("INSERT INTO TRIB_BROKER (ID, REGISTERED_AT_MS)"
                    + " VALUES (0, 1)"), "a broker id is handed out once");
            assertThrows(SQLException.class, () -> sql.execute("INSERT INTO TRIB_CLUSTER VALUES (2, 'x', 1)"),
                    "one cluster row only");
        }
    }

    @Test
    void eachMigrationIsAppliedOnce() throws SQLException {
        open().close();
        open().close();
        try (Connection connection = DriverManager.getConnection(MetadataDatabase.embeddedUrl(dataDir));
             ResultSet versions = connection.createStatement()
                     .executeQuery("SELECT VERSION FROM TRIB_SCHEMA_VERSION ORDER BY VERSION")) {
            List<Integer> applied = new ArrayList<>();
            while (versions.next()) {
                applied.add(versions.getInt(1));
            }
            assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), applied);
            assertEquals(SchemaMigrations.SCRIPTS.size(), applied.size());
        }
    }
}
