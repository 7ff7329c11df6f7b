package dev.tributary.broker.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.function.Supplier;
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
            assertEquals(List.of(1), applied);
            assertEquals(SchemaMigrations.SCRIPTS.size(), applied.size());
        }
    }
}
