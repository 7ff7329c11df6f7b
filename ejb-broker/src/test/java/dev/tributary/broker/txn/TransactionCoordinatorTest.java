package dev.tributary.broker.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's state machine over a store: epochs and fencing, EndTxn and its retries, transaction versions 1
 * and 2, timeouts, failover to another coordinator, expiry — with markers recorded instead of written.
 */
class TransactionCoordinatorTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private static final String ID = "tx";

    private final InMemoryTransactionStateStore store = new InMemoryTransactionStateStore();
    private final AtomicLong nextProducerId = new AtomicLong(100);
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<TransactionMarkers> written = new CopyOnWriteArrayList<>();
    private final AtomicBoolean markersFail = new AtomicBoolean();
    private final TransactionMarkerChannel channel = markers -> {
        if (markersFail.get())
            return CompletableFuture.failedFuture(new IllegalStateException("leader unreachable"));
        written.add(markers);
        return CompletableFuture.completedFuture(null);
    };
    private final TransactionCoordinatorConfig config = TransactionCoordinatorConfig.defaults()
            .withAbortCheckIntervalMs(3_600_000).withIdExpirationMs(60_000);

    private TransactionCoordinator coordinator(TransactionMarkerChannel markers) {
        return new TransactionCoordinator(store, markers, nextProducerId::getAndIncrement, id -> true, config, clock,
                scheduler);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private static ProducerIdAndEpoch end(TransactionCoordinator coordinator, ProducerIdAndEpoch producer,
                                          boolean commit, int version) {
        return coordinator.endTransaction(ID, producer.producerId(), producer.producerEpoch(), commit, version).join();
    }

    @Test
    void timeoutsBeyondTheMaximumAreRefused() {
        TransactionCoordinator coordinator = coordinator(channel);
        assertEquals(Errors.INVALID_TRANSACTION_TIMEOUT,
                coordinator.initProducerId(ID, config.maxTimeoutMs() + 1, -1, (short) -1).error());
        assertEquals(Errors.INVALID_TRANSACTION_TIMEOUT, coordinator.initProducerId(ID, 0, -1, (short) -1).error());
        assertTrue(store.load(ID).isEmpty());
    }

    @Test
    void aCommitWritesMarkersToEveryPartitionAndGroupThenCompletes() {
        TransactionCoordinator coordinator = coordinator(channel);
        ProducerIdAndEpoch producer = coordinator.initProducerId(ID, 60_000, -1, (short) -1);
        assertEquals(new ProducerIdAndEpoch(Errors.NONE, 100, (short) 0), producer);
        assertEquals(Errors.NONE, coordinator.addPartitions(ID, 100, (short) 0, Set.of(TP), 0));
        assertEquals(Errors.NONE, coordinator.addOffsets(ID, 100, (short) 0, "group", 0));

        assertEquals(Errors.NONE, end(coordinator, producer, true, 0).error());
        // rows: 0 created, 1 partition added, 2 group added, 3 PrepareCommit, whose version the markers carry
        assertEquals(List.of(new TransactionMarkers(ID, 100, (short) 0, 3, true, Set.of(TP), Set.of("group"))),
                written);
        assertEquals(TransactionState.COMPLETE_COMMIT, store.load(ID).get().state());
        assertEquals(Errors.NONE, end(coordinator, producer, true, 0).error(), "a retried EndTxn succeeds again");
        assertEquals(Errors.INVALID_TXN_STATE, end(coordinator, producer, false, 0).error());
        assertEquals(1, written.size());
    }

    @Test
    void transactionVersion2BumpsTheEpochAtEveryEndAndRecognisesRetries() {
        TransactionCoordinator coordinator = coordinator(channel);
        ProducerIdAndEpoch producer = coordinator.initProducerId(ID, 60_000, -1, (short) -1);
        coordinator.addPartitions(ID, 100, (short) 0, Set.of(TP), 2);
        ProducerIdAndEpoch next = end(coordinator, producer, true, 2);
        assertEquals(new ProducerIdAndEpoch(Errors.NONE, 100, (short) 1), next);
        assertEquals((short) 1, written.get(0).producerEpoch(), "the markers carry the bumped epoch");
        assertEquals(next, end(coordinator, producer, true, 2), "a retry with the old epoch gets the same answer");
        assertEquals(Errors.PRODUCER_FENCED, coordinator.addPartitions(ID, 100, (short) 0, Set.of(TP), 2));
        assertEquals(Errors.NONE, coordinator.addPartitions(ID, 100, (short) 1, Set.of(TP), 2));
    }

    @Test
    void aNewInstanceFencesTheOldOneAndAbortsItsTransactionWithTheBumpedEpoch() {
        TransactionCoordinator coordinator = coordinator(channel);
        coordinator.initProducerId(ID, 60_000, -1, (short) -1);
        coordinator.addPartitions(ID, 100, (short) 0, Set.of(TP), 0);

        assertEquals(Errors.CONCURRENT_TRANSACTIONS, coordinator.initProducerId(ID, 60_000, -1, (short) -1).error());
        assertEquals(List.of(new TransactionMarkers(ID, 100, (short) 1, 2, false, Set.of(TP), Set.of())), written);
        assertEquals(new ProducerIdAndEpoch(Errors.NONE, 100, (short) 2),
                coordinator.initProducerId(ID, 60_000, -1, (short) -1));
        assertEquals(Errors.PRODUCER_FENCED, coordinator.addPartitions(ID, 100, (short) 0, Set.of(TP), 0));
        assertEquals(Errors.PRODUCER_FENCED, end(coordinator, new ProducerIdAndEpoch(Errors.NONE, 100, (short) 0),
                true, 0).error());
    }

    @Test
    void anExhaustedEpochMovesTheProducerToANewId() {
        TransactionCoordinator coordinator = coordinator(channel);
        coordinator.initProducerId(ID, 60_000, -1, (short) -1);
        TransactionMetadata row = store.load(ID).get();
        TransactionMetadata nearlyExhausted = new TransactionMetadata(ID, 100, (short) (Short.MAX_VALUE - 1),
                (short) -1, 60_000, TransactionState.EMPTY, Set.of(), Set.of(), -1, now.get(), 2, row.version() + 1,
                -1);
        assertTrue(store.compareAndSet(nearlyExhausted));
        coordinator.addPartitions(ID, 100, (short) (Short.MAX_VALUE - 1), Set.of(TP), 2);
        ProducerIdAndEpoch next = coordinator.endTransaction(ID, 100, (short) (Short.MAX_VALUE - 1), true, 2).join();
        assertEquals(new ProducerIdAndEpoch(Errors.NONE, 101, (short) 0), next);
        assertEquals(100, written.get(0).producerId(), "the markers go to the producer id that wrote the data");
        assertEquals(Short.MAX_VALUE, written.get(0).producerEpoch());
        assertEquals(101, store.load(ID).get().producerId());
    }

    @Test
    void aTimedOutTransactionIsAbortedAndItsProducerFenced() {
        TransactionCoordinator coordinator = coordinator(channel);
        coordinator.initProducerId(ID, 10_000, -1, (short) -1);
        coordinator.addPartitions(ID, 100, (short) 0, Set.of(TP), 0);
        now.addAndGet(9_000);
        coordinator.checkTransactions();
        assertTrue(written.isEmpty(), "not timed out yet");
        now.addAndGet(2_000);
        coordinator.checkTransactions();
        assertEquals(List.of(new TransactionMarkers(ID, 100, (short) 1, 2, false, Set.of(TP), Set.of())), written);
        assertEquals(TransactionState.COMPLETE_ABORT, store.load(ID).get().state());
        assertEquals(Errors.PRODUCER_FENCED, end(coordinator, new ProducerIdAndEpoch(Errors.NONE, 100, (short) 0),
                true, 0).error());
    }

    @Test
    void anotherCoordinatorFinishesAPreparedTransactionAndFencesTheFirst() {
        markersFail.set(true);
        TransactionCoordinator first = coordinator(channel);
        ProducerIdAndEpoch producer = first.initProducerId(ID, 60_000, -1, (short) -1);
        first.addPartitions(ID, 100, (short) 0, Set.of(TP), 0);
        end(first, producer, true, 0); // decided, but the markers could not be written
        assertEquals(TransactionState.PREPARE_COMMIT, store.load(ID).get().state());

        // The id moves to another broker's coordinator (same store): it resumes with a newer coordinator epoch.
        List<TransactionMarkers> resumed = new CopyOnWriteArrayList<>();
        TransactionCoordinator second = coordinator(markers -> {
            resumed.add(markers);
            return CompletableFuture.completedFuture(null);
        });
        second.checkTransactions();
        assertEquals(1, resumed.size());
        assertTrue(resumed.get(0).commit());
        assertEquals(3, resumed.get(0).coordinatorEpoch(), "bumped past the first coordinator's 2");
        assertEquals(TransactionState.COMPLETE_COMMIT, store.load(ID).get().state());

        // The first coordinator's stale view loses every compare-and-set from now on.
        markersFail.set(false);
        assertEquals(Errors.NONE, first.addPartitions(ID, 100, (short) 0, Set.of(TP), 0),
                "it reads the store, so it sees the completed transaction and starts the next");
    }

    @Test
    void idleIdsExpire() {
        TransactionCoordinator coordinator = coordinator(channel);
        coordinator.initProducerId(ID, 60_000, -1, (short) -1);
        now.addAndGet(59_000);
        coordinator.checkTransactions();
        assertTrue(store.load(ID).isPresent());
        now.addAndGet(1_000);
        coordinator.checkTransactions();
        assertFalse(store.load(ID).isPresent(), "unused for transactional.id.expiration.ms");
    }

    @Test
    void requestsForIdsPlacedElsewhereAreNotCoordinatedHere() {
        TransactionCoordinator elsewhere = new TransactionCoordinator(store, channel, nextProducerId::getAndIncrement,
                id -> false, config, clock, scheduler);
        assertEquals(Errors.NOT_COORDINATOR, elsewhere.initProducerId(ID, 60_000, -1, (short) -1).error());
        assertEquals(Errors.NOT_COORDINATOR, elsewhere.addPartitions(ID, 1, (short) 0, Set.of(TP), 0));
        assertFalse(elsewhere.coordinates(ID));
    }
}
