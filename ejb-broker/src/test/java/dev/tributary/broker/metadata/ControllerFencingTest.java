package dev.tributary.broker.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.cluster.ControllerFencedException;
import dev.tributary.broker.cluster.ControllerLease;
import dev.tributary.broker.cluster.SessionSnapshot;
import dev.tributary.broker.testing.PostgresServer;
import dev.tributary.broker.topic.LeadershipStore.Change;
import dev.tributary.broker.topic.PartitionLeadership;
import dev.tributary.broker.topic.TopicRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller lease and broker sessions in the database, on its clock: one holder at a time, a take-over raises
 * the epoch and fences the old holder's changes, and a leader is replaced (an ISR member dropped) only once its
 * session expired. Every case runs on H2 and on PostgreSQL, whose SQL for the database's clock differs most.
 */
class ControllerFencingTest {

    private static final long SHORT_MS = 300;
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path dataDir;

    @Test
    void onH2() {
        String url = "jdbc:h2:mem:fencing-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        fencing(() -> MetadataDatabase.open(dataDir, Optional.of(url), Optional.empty(), Optional.empty()));
    }

    @Test
    void onPostgres() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            fencing(() -> MetadataDatabase.open(dataDir, Optional.of(postgres.jdbcUrl()), Optional.of("postgres"),
                    Optional.empty()));
        }
    }

    /**
     * A cut network must not hang a broker, nor leave the lease row locked by a vanished client: PostgreSQL
     * sessions get lock and idle-in-transaction timeouts (and the driver socket and connect timeouts).
     */
    @Test
    void postgresSessionsTimeOutRatherThanHoldLocksForever() throws Exception {
        try (PostgresServer postgres = PostgresServer.start();
             MetadataDatabase db = MetadataDatabase.open(dataDir, Optional.of(postgres.jdbcUrl()),
                     Optional.of("postgres"), Optional.empty())) {
            ResourceLocalTransactions transactions = new ResourceLocalTransactions(db.entityManagerFactory());
            assertEquals(List.of("5s", "10s"), transactions.inTransaction(em -> List.of(
                    em.createNativeQuery("SELECT current_setting('lock_timeout')").getSingleResult(),
                    em.createNativeQuery("SELECT current_setting('idle_in_transaction_session_timeout')")
                            .getSingleResult())));
        }
    }

    private static void fencing(Supplier<MetadataDatabase> databases) {
        try (MetadataDatabase db = databases.get()) {
            Instant now = Instant.now();
            db.brokerRegistry().clusterId(now);
            int one = db.brokerRegistry().register(now);
            int two = db.brokerRegistry().register(now);
            JpaControllerStore controllers = db.controllerStore();
            JpaClusterSessions sessions = db.clusterSessions();

            ControllerLease first = controllers.claim(one, 60_000).orElseThrow();
            assertEquals(first, controllers.claim(one, 60_000).orElseThrow(), "a renewal keeps the epoch");
            assertEquals(Optional.empty(), controllers.claim(two, 60_000), "held and unexpired: nobody else gets it");
            sessions.heartbeat(one, 60_000);
            SessionSnapshot seen = sessions.heartbeat(two, 60_000);
            assertEquals(Set.of(one, two), seen.registered());
            assertEquals(Set.of(one, two), seen.live());
            assertEquals(Optional.of(first), seen.controller());

            controllers.release(first);
            ControllerLease second = controllers.claim(two, SHORT_MS).orElseThrow();
            assertTrue(second.epoch() > first.epoch(), "a take-over raises the epoch: " + second);
            PartitionLeadership led = leadership(db, one, two);
            Change electTwo = new Change(led, led.withLeader(two, List.of(two)));
            assertThrows(ControllerFencedException.class,
                    () -> controllers.compareAndSetAll(first, List.of(electTwo), true),
                    "the old holder's change is refused whole");
            assertEquals(List.of(), controllers.compareAndSetAll(second, List.of(electTwo), true),
                    "broker " + one + " still has a session: it may still acknowledge writes, so it keeps leading");
            Change dropTwo = new Change(led, led.withIsr(List.of(one)));
            assertEquals(List.of(), controllers.compareAndSetAll(second, List.of(dropTwo), true),
                    "broker " + two + " has a session (the controller's view of it may be a heartbeat old): it keeps"
                            + " its place in the ISR");

            ControllerLease third = awaitClaim(controllers, one);
            assertTrue(third.epoch() > second.epoch(), "the lease expired on the database's clock and moved");
            assertThrows(ControllerFencedException.class,
                    () -> controllers.compareAndSetAll(second, List.of(electTwo), true));
            sessions.endSession(one);
            assertEquals(List.of(electTwo.updated()), controllers.compareAndSetAll(third, List.of(electTwo), true),
                    "once its session expired the old leader has fenced itself, and is replaced");
            SessionSnapshot after = sessions.heartbeat(two, 60_000);
            assertEquals(Set.of(two), after.live());
            assertEquals(Set.of(two), after.registered(), "a broker that stopped cleanly leaves the electorate");
        }
    }

    private static PartitionLeadership leadership(MetadataDatabase db, int leader, int follower) {
        PartitionLeadership partition = PartitionLeadership.initial("orders", 0, List.of(leader, follower));
        db.topicStore().insert(new TopicRecord("orders", Uuid.randomUuid(), 1, (short) 2, Map.of(), Instant.now()),
                List.of(partition));
        return partition;
    }

    private static ControllerLease awaitClaim(JpaControllerStore controllers, int brokerId) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ControllerLease> claimed = controllers.claim(brokerId, 60_000);
            if (claimed.isPresent())
                return claimed.get();
            Thread.onSpinWait();
        }
        throw new AssertionError("the lease of " + SHORT_MS + " ms did not expire within " + PATIENCE);
    }
}
