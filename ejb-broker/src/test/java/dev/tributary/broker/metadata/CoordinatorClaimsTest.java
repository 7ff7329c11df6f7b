package dev.tributary.broker.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tributary.broker.group.CommittedOffset;
import dev.tributary.broker.group.CoordinationLostException;
import dev.tributary.broker.testing.PostgresServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offset commits conditioned on the group's coordinator claim, as two brokers whose views of the cluster differ
 * would make them: the first to write holds the group; the other is refused while the holder's session lives, and
 * takes it over once the holder hands it over or its session ends. On H2 and PostgreSQL.
 */
class CoordinatorClaimsTest {

    private static final TopicPartition T0 = new TopicPartition("t", 0);

    @TempDir
    Path dataDir;

    @Test
    void onH2() {
        String url = "jdbc:h2:mem:claims-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        claims(() -> MetadataDatabase.open(dataDir, Optional.of(url), Optional.empty(), Optional.empty()));
    }

    @Test
    void onPostgres() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            claims(() -> MetadataDatabase.open(dataDir, Optional.of(postgres.jdbcUrl()), Optional.of("postgres"),
                    Optional.empty()));
        }
    }

    private static void claims(Supplier<MetadataDatabase> databases) {
        try (MetadataDatabase db = databases.get()) {
            Instant now = Instant.now();
            db.brokerRegistry().clusterId(now);
            int a = db.brokerRegistry().register(now);
            int b = db.brokerRegistry().register(now);
            db.clusterSessions().heartbeat(a, 60_000);
            db.clusterSessions().heartbeat(b, 60_000);
            JpaOffsetStore storeA = db.offsetStore(a);
            JpaOffsetStore storeB = db.offsetStore(b);

            storeA.commit("orders", Map.of(T0, offset(1)));
            assertThrows(CoordinationLostException.class, () -> storeB.commit("orders", Map.of(T0, offset(2))),
                    "broker " + a + " holds the group and its session lives");
            assertThrows(CoordinationLostException.class, () -> storeB.deleteGroup("orders"));
            assertEquals(1, storeA.loadAll().get("orders").get(T0).offset(), "nothing of the refused writes stored");

            storeA.resign(List.of("orders"));
            storeB.commit("orders", Map.of(T0, offset(5)));
            assertThrows(CoordinationLostException.class, () -> storeA.commit("orders", Map.of(T0, offset(6))),
                    "a stale coordinator is refused once another took the group over");

            db.clusterSessions().endSession(b);
            storeA.commit("orders", Map.of(T0, offset(7)));
            assertEquals(7, storeA.loadAll().get("orders").get(T0).offset(), "a dead holder's group is taken over");
        }
    }

    private static CommittedOffset offset(long offset) {
        return new CommittedOffset(offset, OptionalInt.empty(), "", Instant.EPOCH);
    }
}
