package dev.tributary.broker.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.group.CommittedOffset;
import dev.tributary.broker.topic.TopicRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
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
        try (MetadataDatabase db = databases.get()) {
            JpaTopicStore store = db.topicStore();
            store.insert(new TopicRecord("orders", 3, (short) 1, Map.of("retention.ms", "1000"), created));
            assertThrows(TopicExistsException.class,
                    () -> store.insert(new TopicRecord("orders", 1, (short) 1, Map.of(), created)));
            store.replaceConfigOverrides("orders", Map.of("segment.bytes", "2048"));
            assertThrows(UnknownTopicOrPartitionException.class,
                    () -> store.replaceConfigOverrides("missing", Map.of()));
        }
        try (MetadataDatabase db = databases.get()) {
            List<TopicRecord> topics = db.topicStore().loadAll();
            assertEquals(List.of(new TopicRecord("orders", 3, (short) 1, Map.of("segment.bytes", "2048"), created)),
                    topics);
            assertTrue(db.topicStore().delete("orders"));
            assertFalse(db.topicStore().delete("orders"));
            assertEquals(List.of(), db.topicStore().loadAll());
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

    /** A database made before committed offsets existed gets the V2 table on its next start. */
    @Test
    void theOffsetsMigrationUpgradesAVersion1Database() throws SQLException {
        open().close();
        try (Connection connection = DriverManager.getConnection(MetadataDatabase.embeddedUrl(dataDir))) {
            connection.createStatement().execute("DROP TABLE TRIB_COMMITTED_OFFSET");
            connection.createStatement().execute("DELETE FROM TRIB_SCHEMA_VERSION WHERE VERSION = 2");
        }
        try (MetadataDatabase db = open()) {
            CommittedOffset offset = new CommittedOffset(1, OptionalInt.empty(), "", Instant.ofEpochMilli(1));
            db.offsetStore().commit("g", Map.of(new TopicPartition("t", 0), offset));
            assertEquals(Map.of("g", Map.of(new TopicPartition("t", 0), offset)), db.offsetStore().loadAll());
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
            assertEquals(List.of(1, 2), applied);
            assertEquals(SchemaMigrations.SCRIPTS.size(), applied.size());
        }
    }
}
