package dev.tributary.broker.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.group.Assignment;
import dev.tributary.broker.group.ConsumerGroupConflictException;
import dev.tributary.broker.group.ConsumerGroupMember;
import dev.tributary.broker.group.ConsumerGroupSnapshot;
import dev.tributary.broker.group.ConsumerGroupStore;
import dev.tributary.broker.group.ConsumerGroupStoreException;
import dev.tributary.broker.group.CurrentAssignment;
import dev.tributary.broker.group.MemberState;
import dev.tributary.broker.group.MemberSubscription;
import dev.tributary.broker.group.SubscribedTopic;
import dev.tributary.broker.group.TargetAssignment;
import dev.tributary.broker.testing.PostgresServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consumer groups of KIP-848 in the metadata database: whole snapshots, versioned writes, on H2 and PostgreSQL. */
class JpaConsumerGroupStoreTest {

    private static final Uuid ORDERS = Uuid.randomUuid();
    private static final Uuid PAYMENTS = Uuid.randomUuid();

    @TempDir
    Path dataDir;

    static ConsumerGroupSnapshot snapshot(String groupId, int epoch) {
        ConsumerGroupMember revoking = new ConsumerGroupMember("member-a", Optional.of("instance-a"),
                Optional.of("rack-1"), "client-a", "/10.0.0.1", 45_000,
                new MemberSubscription(new TreeSet<>(List.of("orders", "payments")), Optional.empty(),
                        Optional.of("range")),
                new CurrentAssignment(epoch - 1, epoch - 2, MemberState.UNREVOKED_PARTITIONS,
                        Assignment.of(ORDERS, List.of(0, 1)), Assignment.of(PAYMENTS, List.of(2))));
        ConsumerGroupMember waiting = new ConsumerGroupMember("member-b", Optional.empty(), Optional.empty(),
                "client-b", "/10.0.0.2", 300_000,
                new MemberSubscription(new TreeSet<>(), Optional.of("orders|pay.*"), Optional.empty()),
                new CurrentAssignment(epoch, epoch - 1, MemberState.UNRELEASED_PARTITIONS,
                        Assignment.of(PAYMENTS, List.of(0, 1)), Assignment.EMPTY));
        TargetAssignment target = new TargetAssignment(epoch, Map.of("member-a", Assignment.of(ORDERS, List.of(0, 1)),
                "member-b", Assignment.of(PAYMENTS, List.of(0, 1, 2))));
        return new ConsumerGroupSnapshot(groupId, epoch, target, List.of(revoking, waiting),
                Map.of("orders", new SubscribedTopic("orders", ORDERS, 2),
                        "payments", new SubscribedTopic("payments", PAYMENTS, 3)));
    }

    @Test
    void snapshotsRoundTripThroughTheCodec() {
        ConsumerGroupSnapshot snapshot = snapshot("g", 7);
        assertEquals(snapshot, ConsumerGroupSnapshotCodec.decode("g", ConsumerGroupSnapshotCodec.encode(snapshot)));
    }

    @Test
    void aSnapshotOfAnUnknownFormatOrCutShortIsRefusedNamingTheGroup() {
        byte[] encoded = ConsumerGroupSnapshotCodec.encode(snapshot("g", 7));
        byte[] future = encoded.clone();
        future[1] = 9;
        assertTrue(assertThrows(ConsumerGroupStoreException.class, () -> ConsumerGroupSnapshotCodec.decode("g",
                future)).getMessage().contains("format version 9"));
        byte[] cut = Arrays.copyOf(encoded, encoded.length - 3);
        assertTrue(assertThrows(ConsumerGroupStoreException.class, () -> ConsumerGroupSnapshotCodec.decode("g",
                cut)).getMessage().contains("consumer group g"));
    }

    @Test
    void groupsRoundTripThroughTheEmbeddedDatabase() {
        roundTrip(() -> MetadataDatabase.open(dataDir, Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void groupsRoundTripThroughPostgres() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            roundTrip(() -> MetadataDatabase.open(dataDir, Optional.of(postgres.jdbcUrl()), Optional.of("postgres"),
                    Optional.empty()));
        }
    }

    private static void roundTrip(Supplier<MetadataDatabase> databases) {
        try (MetadataDatabase db = databases.get()) {
            ConsumerGroupStore store = db.consumerGroupStore(Clock.systemUTC());
            assertEquals(1, store.save(snapshot("orders", 3), 0));
            assertEquals(2, store.save(snapshot("orders", 4), 1));
            assertEquals(1, store.save(snapshot("payments", 9), 0));
            assertThrows(ConsumerGroupConflictException.class, () -> store.save(snapshot("orders", 5), 1),
                    "another broker wrote version 2");
            assertThrows(ConsumerGroupConflictException.class, () -> store.save(snapshot("invoices", 1), 3),
                    "a group the store does not have is version 0");
            store.delete("payments", 1);
            assertThrows(ConsumerGroupConflictException.class, () -> store.delete("orders", 1));
        }
        try (MetadataDatabase db = databases.get()) {
            ConsumerGroupStore store = db.consumerGroupStore(Clock.systemUTC());
            Map<String, ConsumerGroupStore.Stored> all = store.loadAll();
            assertEquals(Map.of("orders", new ConsumerGroupStore.Stored(snapshot("orders", 4), 2)), all);
            assertEquals(Optional.of(all.get("orders")), store.load("orders"));
            assertEquals(Optional.empty(), store.load("payments"));
        }
    }
}
