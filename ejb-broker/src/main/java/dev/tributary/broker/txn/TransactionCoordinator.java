package dev.tributary.broker.txn;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The transaction coordinator (Kafka's {@code TransactionCoordinator}): for each transactional id placed on this
 * broker, the producer id and epoch, and the transaction's state, partitions and groups, kept in a
 * {@link TransactionStateStore} shared by the cluster.
 *
 * <p>A Java API first: the Kafka handlers (InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, EndTxn,
 * DescribeTransactions, ListTransactions) translate to it, and an in-VM caller (the JCA adapter) can drive
 * transactions the same way. Answers are Kafka's error codes.
 *
 * <p><b>Fencing.</b> Every state change is a compare-and-set on the row version in the store; a lost race means
 * another coordinator changed the id, and the request is answered NOT_COORDINATOR (if the id is placed elsewhere
 * now) or CONCURRENT_TRANSACTIONS (the client retries). Markers carry the row version as their coordinator epoch,
 * and a resumed transaction's version is bumped first, so a coordinator that lost the id cannot write markers a
 * partition would take.
 *
 * <p><b>Ending a transaction.</b> EndTxn moves Ongoing to PrepareCommit or PrepareAbort (durable: the outcome is
 * decided), then the {@link TransactionMarkerChannel} writes the markers, then the row goes to CompleteCommit or
 * CompleteAbort. The client is answered once the markers are written (or, if that takes longer than
 * {@link #END_TXN_RESPONSE_WAIT_MS}, once the outcome is durable, as Kafka answers). With transaction version 2 the
 * epoch is bumped at every EndTxn and the markers carry the new one (KIP-890).
 *
 * <p><b>Failure.</b> A coordinator that takes an id over (failover, or a restart) finds a PrepareCommit or
 * PrepareAbort in the store and writes its markers again ({@link #checkTransactions}, run every
 * {@code abortCheckIntervalMs}); markers are idempotent for the partitions. The same pass aborts transactions that
 * outlived their timeout (bumping the epoch, which fences their producer) and removes ids unused for
 * {@code transactional.id.expiration.ms}.
 *
 * <p><b>Concurrency.</b> Requests of one id are serialized on a lock per id; different ids run in parallel. Marker
 * writing runs asynchronously; while it runs the id answers CONCURRENT_TRANSACTIONS.
 */
public final class TransactionCoordinator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TransactionCoordinator.class.getName());
    /** How long EndTxn waits for the markers before it answers on the durable outcome alone. */
    static final long END_TXN_RESPONSE_WAIT_MS = 5_000;

    private final TransactionStateStore store;
    private final TransactionMarkerChannel markers;
    private final LongSupplier producerIds;
    private final Predicate<String> placedHere;
    private final TransactionCoordinatorConfig config;
    private final Clock clock;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** Ids whose markers are being written by this coordinator now. */
    private final Set<String> completing = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> periodicCheck;
    private volatile boolean closed;

    /**
     * @param producerIds hands out producer ids never handed out before
     * @param placedHere  whether this broker coordinates a transactional id now (placement over the live brokers)
     */
    public TransactionCoordinator(TransactionStateStore store, TransactionMarkerChannel markers,
                                  LongSupplier producerIds, Predicate<String> placedHere,
                                  TransactionCoordinatorConfig config, Clock clock,
                                  ScheduledExecutorService scheduler) {
        this.store = store;
        this.markers = markers;
        this.producerIds = producerIds;
        this.placedHere = placedHere;
        this.config = config;
        this.clock = clock;
        this.periodicCheck = scheduler.scheduleWithFixedDelay(this::checkTransactionsQuietly,
                config.abortCheckIntervalMs(), config.abortCheckIntervalMs(), TimeUnit.MILLISECONDS);
    }

    public TransactionCoordinatorConfig config() {
        return config;
    }

    /** Whether this broker coordinates {@code transactionalId} (FindCoordinator names it, requests are served). */
    public boolean coordinates(String transactionalId) {
        return !closed && placedHere.test(transactionalId);
    }

    // ---- InitProducerId ----

    /**
     * InitProducerId with a transactional id: a new id gets a fresh producer id at epoch 0; a known one its epoch
     * bumped (a new producer id once the epoch is exhausted), which fences every older instance of the producer. An
     * open transaction of the old instance is aborted first (with the bumped epoch) and the call answered
     * CONCURRENT_TRANSACTIONS, for the client to retry once the abort is written.
     *
     * @param expected the producer id and epoch the client had (KIP-360: a producer re-initialising after an error),
     *                 or -1 / -1
     */
    public ProducerIdAndEpoch initProducerId(String transactionalId, int timeoutMs, long expectedProducerId,
                                             short expectedEpoch) {
        if (transactionalId == null || transactionalId.isEmpty())
            return ProducerIdAndEpoch.failed(Errors.INVALID_REQUEST);
        if (timeoutMs <= 0 || timeoutMs > config.maxTimeoutMs())
            return ProducerIdAndEpoch.failed(Errors.INVALID_TRANSACTION_TIMEOUT);
        if (!coordinates(transactionalId))
            return ProducerIdAndEpoch.failed(Errors.NOT_COORDINATOR);
        return withId(transactionalId, () -> {
            long now = clock.millis();
            Optional<TransactionMetadata> existing = store.load(transactionalId);
            if (existing.isEmpty()) {
                TransactionMetadata created = TransactionMetadata.initial(transactionalId, producerIds.getAsLong(),
                        timeoutMs, now);
                if (!store.create(created))
                    return ProducerIdAndEpoch.failed(Errors.CONCURRENT_TRANSACTIONS);
                LOG.fine(() -> "Transactional id " + transactionalId + " gets producer id " + created.producerId());
                return ProducerIdAndEpoch.of(created);
            }
            TransactionMetadata current = existing.get();
            if (completing.contains(transactionalId) || current.state().isPreparing()
                    || current.state() == TransactionState.DEAD) {
                resumeIfStalled(current);
                return ProducerIdAndEpoch.failed(Errors.CONCURRENT_TRANSACTIONS);
            }
            if (current.state() == TransactionState.ONGOING) {
                fenceAndAbort(current, now);
                return ProducerIdAndEpoch.failed(Errors.CONCURRENT_TRANSACTIONS);
            }
            if (expectedProducerId != RecordBatch.NO_PRODUCER_ID) {
                boolean isCurrent = expectedProducerId == current.producerId()
                        && expectedEpoch == current.producerEpoch();
                boolean isRetryOfLastBump = expectedProducerId == current.producerId()
                        && expectedEpoch == current.lastProducerEpoch() && current.state() == TransactionState.EMPTY;
                if (isRetryOfLastBump)
                    return ProducerIdAndEpoch.of(current);
                if (!isCurrent)
                    return ProducerIdAndEpoch.failed(Errors.PRODUCER_FENCED);
            }
            TransactionMetadata bumped = current.reinitialised(producerIds, timeoutMs, now);
            if (!store.compareAndSet(bumped))
                return ProducerIdAndEpoch.failed(lostRace(transactionalId));
            return ProducerIdAndEpoch.of(bumped);
        });
    }

    // ---- AddPartitionsToTxn / AddOffsetsToTxn ----

    /**
     * AddPartitionsToTxn (and, for transaction version 2, the partition a produce request adds implicitly): the
     * partitions join the producer's transaction, which starts if none is open.
     *
     * @param transactionVersion 2 for a client that uses KIP-890's transaction version 2, else 0
     * @return NONE, or the error for every partition
     */
    public Errors addPartitions(String transactionalId, long producerId, short epoch, Set<TopicPartition> partitions,
                                int transactionVersion) {
        return addToTransaction(transactionalId, producerId, epoch, partitions, Set.of(), transactionVersion);
    }

    /** AddOffsetsToTxn (and TxnOffsetCommit of transaction version 2): the group's offsets join the transaction. */
    public Errors addOffsets(String transactionalId, long producerId, short epoch, String groupId,
                             int transactionVersion) {
        return addToTransaction(transactionalId, producerId, epoch, Set.of(), Set.of(groupId), transactionVersion);
    }

    private Errors addToTransaction(String transactionalId, long producerId, short epoch,
                                    Set<TopicPartition> partitions, Set<String> groups, int transactionVersion) {
        if (transactionalId == null || transactionalId.isEmpty())
            return Errors.INVALID_REQUEST;
        if (!coordinates(transactionalId))
            return Errors.NOT_COORDINATOR;
        return withId(transactionalId, () -> {
            Optional<TransactionMetadata> existing = store.load(transactionalId);
            Errors invalid = checkProducer(existing, producerId, epoch);
            if (invalid != Errors.NONE)
                return invalid;
            TransactionMetadata current = existing.get();
            if (completing.contains(transactionalId) || current.state().isPreparing()) {
                resumeIfStalled(current);
                return Errors.CONCURRENT_TRANSACTIONS;
            }
            if (current.state() == TransactionState.DEAD || current.state() == TransactionState.PREPARE_EPOCH_FENCE)
                return Errors.INVALID_TXN_STATE;
            boolean ongoing = current.state() == TransactionState.ONGOING;
            if (ongoing && current.partitions().containsAll(partitions) && current.groups().containsAll(groups))
                return Errors.NONE;
            long now = clock.millis();
            Set<TopicPartition> allPartitions = new HashSet<>(ongoing ? current.partitions() : Set.of());
            allPartitions.addAll(partitions);
            Set<String> allGroups = new HashSet<>(ongoing ? current.groups() : Set.of());
            allGroups.addAll(groups);
            TransactionMetadata updated = current.next(current.producerEpoch(), current.lastProducerEpoch(),
                    current.producerId(), TransactionState.ONGOING, allPartitions, allGroups,
                    ongoing ? current.startTimeMs() : now, now,
                    ongoing ? current.transactionVersion() : transactionVersion, current.timeoutMs());
            return store.compareAndSet(updated) ? Errors.NONE : lostRace(transactionalId);
        });
    }

    /**
     * KIP-890 part 1: whether the producer's open transaction includes each of {@code partitions} (a partition
     * leader's check before it takes the first transactional batch of a producer for a partition).
     *
     * @return per partition NONE if it is in the transaction, else the error to answer the produce request with
     */
    public Map<TopicPartition, Errors> verifyPartitions(String transactionalId, long producerId, short epoch,
                                                        Set<TopicPartition> partitions) {
        Map<TopicPartition, Errors> result = new LinkedHashMap<>();
        Errors common = coordinates(transactionalId) ? Errors.NONE : Errors.NOT_COORDINATOR;
        Optional<TransactionMetadata> existing = common == Errors.NONE ? store.load(transactionalId)
                : Optional.empty();
        if (common == Errors.NONE)
            common = checkProducer(existing, producerId, epoch);
        for (TopicPartition tp : partitions) {
            if (common != Errors.NONE)
                result.put(tp, common);
            else if (existing.get().state() == TransactionState.ONGOING && existing.get().partitions().contains(tp))
                result.put(tp, Errors.NONE);
            else
                result.put(tp, Errors.INVALID_TXN_STATE);
        }
        return result;
    }

    private static Errors checkProducer(Optional<TransactionMetadata> existing, long producerId, short epoch) {
        if (existing.isEmpty() || existing.get().producerId() != producerId)
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        if (epoch != existing.get().producerEpoch())
            return Errors.PRODUCER_FENCED;
        return Errors.NONE;
    }

    // ---- EndTxn ----

    /**
     * EndTxn: commits or aborts the producer's open transaction. Completes with NONE once the markers are written
     * (or the outcome is durable and they are still being written after {@link #END_TXN_RESPONSE_WAIT_MS}); a retry
     * of an EndTxn that already completed is answered NONE again. With transaction version 2 the answer carries the
     * bumped epoch the producer goes on with.
     */
    public CompletableFuture<ProducerIdAndEpoch> endTransaction(String transactionalId, long producerId, short epoch,
                                                                boolean commit, int transactionVersion) {
        if (transactionalId == null || transactionalId.isEmpty())
            return done(ProducerIdAndEpoch.failed(Errors.INVALID_REQUEST));
        if (!coordinates(transactionalId))
            return done(ProducerIdAndEpoch.failed(Errors.NOT_COORDINATOR));
        boolean bumps = transactionVersion >= 2;
        return withId(transactionalId, () -> {
            Optional<TransactionMetadata> existing = store.load(transactionalId);
            if (existing.isEmpty() || existing.get().producerId() != producerId && !retriedV2(existing.get(),
                    producerId, epoch))
                return done(ProducerIdAndEpoch.failed(Errors.INVALID_PRODUCER_ID_MAPPING));
            TransactionMetadata current = existing.get();
            TransactionState decided = commit ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
            TransactionState preparing = commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT;
            if (bumps && retriedV2(current, producerId, epoch)) {
                // a retry of an EndTxn that bumped the epoch already
                if (current.state() == decided)
                    return done(ProducerIdAndEpoch.of(current));
                if (current.state() == preparing) {
                    resumeIfStalled(current);
                    return done(ProducerIdAndEpoch.failed(Errors.CONCURRENT_TRANSACTIONS));
                }
                return done(ProducerIdAndEpoch.failed(Errors.INVALID_TXN_STATE));
            }
            if (epoch != current.producerEpoch())
                return done(ProducerIdAndEpoch.failed(Errors.PRODUCER_FENCED));
            if (current.state() == preparing || completing.contains(transactionalId)) {
                resumeIfStalled(current);
                return done(ProducerIdAndEpoch.failed(Errors.CONCURRENT_TRANSACTIONS));
            }
            if (current.state() == decided && !bumps)
                return done(ProducerIdAndEpoch.of(current));
            boolean abortOfNothing = !commit && bumps && current.state().isIdle();
            if (current.state() != TransactionState.ONGOING && !abortOfNothing)
                return done(ProducerIdAndEpoch.failed(Errors.INVALID_TXN_STATE));
            long now = clock.millis();
            boolean open = current.state() == TransactionState.ONGOING;
            TransactionMetadata prepared;
            if (bumps) {
                // KIP-890: the markers carry the next epoch, which the producer goes on with (a new producer id once
                // the epoch is exhausted)
                short markerEpoch = current.fencingEpoch();
                prepared = current.next(markerEpoch, current.producerEpoch(), current.producerId(), preparing,
                        open ? current.partitions() : Set.of(), open ? current.groups() : Set.of(),
                        current.startTimeMs(), now, transactionVersion, current.timeoutMs());
                if (markerEpoch == Short.MAX_VALUE)
                    prepared = prepared.withNextProducerId(producerIds.getAsLong());
            } else {
                prepared = current.withState(preparing, now);
            }
            if (!store.compareAndSet(prepared))
                return done(ProducerIdAndEpoch.failed(lostRace(transactionalId)));
            ProducerIdAndEpoch answer = prepared.nextProducerId() >= 0
                    ? new ProducerIdAndEpoch(Errors.NONE, prepared.nextProducerId(), (short) 0)
                    : ProducerIdAndEpoch.of(prepared);
            return complete(prepared).handle((written, e) -> answer)
                    .completeOnTimeout(answer, END_TXN_RESPONSE_WAIT_MS, TimeUnit.MILLISECONDS);
        });
    }

    /** Whether a transaction version 2 request carries the epoch the last EndTxn bumped away from. */
    private static boolean retriedV2(TransactionMetadata current, long producerId, short epoch) {
        return current.transactionVersion() >= 2 && current.lastProducerEpoch() == epoch
                && current.producerId() == producerId;
    }

    /**
     * Aborts the open transaction of a producer being fenced (a new instance called InitProducerId) or timed out:
     * the epoch is bumped with the move to PrepareAbort, and the abort markers carry the new epoch, so the old
     * instance's later writes are refused everywhere. Lock of the id held.
     */
    private void fenceAndAbort(TransactionMetadata current, long now) {
        TransactionMetadata fenced = current.next(current.fencingEpoch(), current.producerEpoch(),
                current.producerId(), TransactionState.PREPARE_ABORT, current.partitions(), current.groups(),
                current.startTimeMs(), now, current.transactionVersion(), current.timeoutMs());
        if (!store.compareAndSet(fenced)) {
            lostRace(current.transactionalId());
            return;
        }
        LOG.info(() -> "Aborting the transaction of " + current.transactionalId() + " (producer id "
                + current.producerId() + ", epoch " + current.producerEpoch() + " fenced; the abort carries epoch "
                + fenced.producerEpoch() + ")");
        complete(fenced);
    }

    /**
     * A prepared transaction whose markers nobody here is writing (the previous coordinator died, or this broker
     * restarted): takes it over now, bumping the row version so the previous coordinator is fenced, rather than
     * letting its producer retry until the next periodic check. Lock of the id held.
     */
    private void resumeIfStalled(TransactionMetadata current) {
        if (!current.state().isPreparing() || completing.contains(current.transactionalId()))
            return;
        TransactionMetadata resumed = current.withState(current.state(), clock.millis());
        if (store.compareAndSet(resumed)) {
            LOG.info(() -> "Resuming the " + current.state().kafkaName() + " markers of "
                    + current.transactionalId());
            complete(resumed);
        }
    }

    /**
     * Writes the markers of a prepared transaction, then moves it to CompleteCommit or CompleteAbort. Lock of the id
     * held by the caller when it starts; the completion takes it again.
     */
    private CompletableFuture<Void> complete(TransactionMetadata prepared) {
        String id = prepared.transactionalId();
        if (!completing.add(id))
            return CompletableFuture.completedFuture(null);
        boolean commit = prepared.state() == TransactionState.PREPARE_COMMIT;
        TransactionMarkers toWrite = new TransactionMarkers(id, prepared.producerId(), prepared.producerEpoch(),
                prepared.coordinatorEpoch(), commit, prepared.partitions(), prepared.groups());
        CompletableFuture<Void> written;
        try {
            written = markers.write(toWrite);
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        return written.whenComplete((ok, e) -> {
            try {
                if (e != null) {
                    LOG.log(Level.WARNING, "Markers of transactional id " + id + " were not all written; the next"
                            + " check retries", e);
                    return;
                }
                withId(id, () -> {
                    Optional<TransactionMetadata> now = store.load(id);
                    if (now.isPresent() && now.get().version() == prepared.version()) {
                        boolean newId = prepared.nextProducerId() >= 0;
                        TransactionMetadata done = prepared.next(newId ? 0 : prepared.producerEpoch(),
                                newId ? -1 : prepared.lastProducerEpoch(),
                                newId ? prepared.nextProducerId() : prepared.producerId(),
                                commit ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT,
                                Set.of(), Set.of(), -1, clock.millis(), prepared.transactionVersion(),
                                prepared.timeoutMs());
                        if (!store.compareAndSet(done))
                            lostRace(id);
                    }
                    return null;
                });
            } finally {
                completing.remove(id);
            }
        });
    }

    // ---- Describe / List ----

    /** DescribeTransactions: the ids' state, or empty for an id this coordinator does not know. */
    public Optional<TransactionMetadata> describe(String transactionalId) {
        return store.load(transactionalId).filter(m -> m.state() != TransactionState.DEAD);
    }

    /** ListTransactions: the ids this broker coordinates that {@code filter} passes. */
    public List<TransactionMetadata> list(TransactionFilter filter) {
        long now = clock.millis();
        List<TransactionMetadata> found = new ArrayList<>();
        for (TransactionMetadata m : store.loadAll()) {
            if (m.state() != TransactionState.DEAD && placedHere.test(m.transactionalId()) && filter.matches(m, now))
                found.add(m);
        }
        return found;
    }

    // ---- periodic work ----

    /**
     * Resumes the markers of prepared transactions this broker now coordinates (after a failover or a restart,
     * bumping the row version first so the previous coordinator is fenced), aborts transactions that outlived their
     * timeout, and removes idle ids past {@code transactional.id.expiration.ms}.
     */
    public void checkTransactions() {
        if (closed)
            return;
        long now = clock.millis();
        for (TransactionMetadata m : store.loadAll()) {
            String id = m.transactionalId();
            if (!placedHere.test(id) || completing.contains(id))
                continue;
            withId(id, () -> {
                Optional<TransactionMetadata> fresh = store.load(id);
                if (fresh.isEmpty() || completing.contains(id))
                    return null;
                TransactionMetadata current = fresh.get();
                if (current.state().isPreparing()) {
                    resumeIfStalled(current);
                } else if (current.timedOut(now)) {
                    LOG.info(() -> "The transaction of " + id + " has been open for " + (now - current.startTimeMs())
                            + " ms, beyond its timeout of " + current.timeoutMs() + " ms; aborting it");
                    fenceAndAbort(current, now);
                } else if (current.state().isIdle() && now - current.lastUpdateMs() >= config.idExpirationMs()) {
                    if (store.delete(id, current.version()))
                        LOG.fine(() -> "Transactional id " + id + " expired after "
                                + config.idExpirationMs() + " ms unused");
                }
                return null;
            });
        }
    }

    private void checkTransactionsQuietly() {
        try {
            checkTransactions();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Transaction check failed; it runs again in " + config.abortCheckIntervalMs()
                    + " ms", e);
        }
    }

    // ---- helpers ----

    /** Why a compare-and-set lost: another coordinator changed the id. */
    private Errors lostRace(String transactionalId) {
        LOG.fine(() -> "Transactional id " + transactionalId + " was changed by another coordinator meanwhile");
        return placedHere.test(transactionalId) ? Errors.CONCURRENT_TRANSACTIONS : Errors.NOT_COORDINATOR;
    }

    private <T> T withId(String transactionalId, java.util.function.Supplier<T> work) {
        Object lock = locks.computeIfAbsent(transactionalId, id -> new Object());
        synchronized (lock) {
            return work.get();
        }
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    /** Stops the periodic check; markers being written finish on their own threads. */
    @Override
    public void close() {
        closed = true;
        periodicCheck.cancel(false);
    }
}
