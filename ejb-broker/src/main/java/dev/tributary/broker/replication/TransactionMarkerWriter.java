package dev.tributary.broker.replication;

import dev.tributary.broker.topic.PartitionLeadership;
import dev.tributary.broker.topic.TopicMetadata;
import dev.tributary.broker.txn.GroupOffsetsCompletion;
import dev.tributary.broker.txn.TransactionMarkerChannel;
import dev.tributary.broker.txn.TransactionMarkers;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TransactionCoordinatorFencedException;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarkerTopic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;

/**
 * Writes the markers that end a transaction (Kafka's {@code TransactionMarkerChannelManager}): a COMMIT or ABORT
 * control batch in each of its partitions, through the partition's leader — {@link #appendLocally} when that is
 * this broker (through {@link LeaderAppends}, the one leader-write path), WriteTxnMarkers over the Kafka listener
 * when it is another — and the completion of the transactional
 * offsets of each of its groups, through the group's coordinator ({@link GroupOffsetsCompletion} here,
 * or a WriteTxnMarkers for Kafka's {@value #GROUP_MARKER_TOPIC} topic to the broker that coordinates the group).
 *
 * <p>A marker counts as written once it is as durable as an {@code acks=all} write: fsynced as the topic's flush
 * policy demands and held by every in-sync replica. What fails — a leader moving, a broker down, replication too
 * slow — is tried again after {@code markerRetryBackoffMs}, with the leadership looked up again, until it succeeds;
 * a partition whose topic was deleted counts as written. Writing a marker twice is harmless (the second finds no
 * open transaction), which makes retries and a new coordinator's resumption safe. A partition that answers
 * TRANSACTION_COORDINATOR_FENCED ends the writing with that error: a newer coordinator owns the id.
 *
 * <p>Work runs on a small pool of its own, since a local marker waits for an fsync and a remote one for a round trip.
 */
public final class TransactionMarkerWriter implements TransactionMarkerChannel, AutoCloseable {

    /**
     * The topic a WriteTxnMarkers names for a group coordinator's part (Kafka's offsets topic): Tributary keeps group
     * offsets in its database, so the receiving broker completes the producer's pending offsets of every group it
     * coordinates.
     */
    public static final String GROUP_MARKER_TOPIC = "__consumer_offsets";
    private static final Logger LOG = Logger.getLogger(TransactionMarkerWriter.class.getName());
    private static final short WRITE_TXN_MARKERS_VERSION = 1;

    private final int brokerId;
    private final TopicMetadata topics;
    private final LeaderAppends appends;
    private final GroupOffsetsCompletion groups;
    private final Function<String, OptionalInt> groupCoordinatorOf;
    private final IntFunction<String> addresses;
    private final InterBrokerConnections connections;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final long retryBackoffMs;
    private final int requestTimeoutMs;
    private volatile boolean closed;

    /**
     * @param groupCoordinatorOf the broker that coordinates a group now, empty if none is known
     * @param addresses          the Kafka address a broker announced, or null for one that is not alive
     * @param scheduler          for retries after the backoff
     * @param requestTimeoutMs   how long one attempt may wait for replication or another broker's answer
     */
    public TransactionMarkerWriter(int brokerId, TopicMetadata topics, LeaderAppends appends,
                                   GroupOffsetsCompletion groups, Function<String, OptionalInt> groupCoordinatorOf,
                                   IntFunction<String> addresses, Optional<InterBrokerLogin> login,
                                   ScheduledExecutorService scheduler, long retryBackoffMs, int requestTimeoutMs) {
        this.brokerId = brokerId;
        this.topics = topics;
        this.appends = appends;
        this.groups = groups;
        this.groupCoordinatorOf = groupCoordinatorOf;
        this.addresses = addresses;
        this.connections = new InterBrokerConnections("tributary-txn-markers-" + brokerId, login);
        this.scheduler = scheduler;
        this.retryBackoffMs = retryBackoffMs;
        this.requestTimeoutMs = requestTimeoutMs;
        this.workers = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "tributary-txn-markers");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public CompletableFuture<Void> write(TransactionMarkers markers) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (TopicPartition tp : markers.partitions())
            all.add(untilDone(() -> writePartition(markers, tp), "the marker of " + markers.transactionalId()
                    + " for " + tp));
        for (String group : markers.groups())
            all.add(untilDone(() -> completeGroup(markers, group), "the offsets of " + markers.transactionalId()
                    + " for group " + group));
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /**
     * Appends a marker to a partition this broker leads and completes once it is durable and replicated (or failed):
     * the coordinator's local writes and the WriteTxnMarkers handler's.
     *
     * @return NONE, or the partition's error
     */
    public CompletableFuture<Errors> appendLocally(TopicPartition tp, long producerId, short producerEpoch,
                                                   int coordinatorEpoch, boolean commit) {
        PendingAppend pending;
        try {
            pending = appends.appendTransactionMarker(tp, producerId, producerEpoch, coordinatorEpoch, commit,
                    Duration.ofMillis(requestTimeoutMs));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Errors.forException(e));
        }
        // completion() fails with the cause itself, never wrapped
        return pending.completion().handle((appended, e) -> e == null ? Errors.NONE : Errors.forException(e));
    }

    /** One attempt at one partition's marker: true once written, false to try again. */
    private CompletableFuture<Boolean> writePartition(TransactionMarkers markers, TopicPartition tp) {
        PartitionLeadership leadership;
        try {
            leadership = topics.leadership(tp.topic(), tp.partition());
        } catch (org.apache.kafka.common.errors.UnknownTopicOrPartitionException deleted) {
            return CompletableFuture.completedFuture(true);
        }
        if (!leadership.hasLeader())
            return CompletableFuture.completedFuture(false);
        if (leadership.leader() == brokerId)
            return appendLocally(tp, markers.producerId(), markers.producerEpoch(), markers.coordinatorEpoch(),
                    markers.commit()).thenApply(error -> written(error, tp, markers));
        return CompletableFuture.completedFuture(written(sendMarker(leadership.leader(), markers, tp), tp, markers));
    }

    /** One attempt at one group's offsets. */
    private CompletableFuture<Boolean> completeGroup(TransactionMarkers markers, String group) {
        OptionalInt coordinator = groupCoordinatorOf.apply(group);
        if (coordinator.isEmpty())
            return CompletableFuture.completedFuture(false);
        if (coordinator.getAsInt() == brokerId) {
            groups.complete(markers.producerId(), markers.commit());
            return CompletableFuture.completedFuture(true);
        }
        Errors error = sendMarker(coordinator.getAsInt(), markers, new TopicPartition(GROUP_MARKER_TOPIC, 0));
        return CompletableFuture.completedFuture(written(error, new TopicPartition(GROUP_MARKER_TOPIC, 0), markers));
    }

    /** A blocking WriteTxnMarkers of one partition's marker to {@code broker}; its error, or a network failure's. */
    private Errors sendMarker(int broker, TransactionMarkers markers, TopicPartition tp) {
        String address = addresses.apply(broker);
        if (address == null)
            return Errors.BROKER_NOT_AVAILABLE;
        WriteTxnMarkersRequestData data = new WriteTxnMarkersRequestData();
        data.markers().add(new WritableTxnMarker().setProducerId(markers.producerId())
                .setProducerEpoch(markers.producerEpoch()).setTransactionResult(markers.commit())
                .setCoordinatorEpoch(markers.coordinatorEpoch())
                .setTopics(List.of(new WritableTxnMarkerTopic().setName(tp.topic())
                        .setPartitionIndexes(List.of(tp.partition())))));
        try {
            WriteTxnMarkersResponse response = connections.send(address,
                    new WriteTxnMarkersRequest.Builder(data).build(WRITE_TXN_MARKERS_VERSION), requestTimeoutMs);
            return response.errorsByProducerId().getOrDefault(markers.producerId(), java.util.Map.of())
                    .getOrDefault(tp, Errors.UNKNOWN_SERVER_ERROR);
        } catch (IOException e) {
            LOG.fine(() -> "WriteTxnMarkers to broker " + broker + " at " + address + " failed: " + e);
            return Errors.NETWORK_EXCEPTION;
        }
    }

    /**
     * Whether a partition's answer means its marker is written: NONE; UNKNOWN_TOPIC_OR_PARTITION (deleted);
     * INVALID_PRODUCER_EPOCH (the producer has moved past this epoch there, so its transaction is over).
     *
     * @throws TransactionCoordinatorFencedException if a newer coordinator owns the id
     */
    private static boolean written(Errors error, TopicPartition tp, TransactionMarkers markers) {
        switch (error) {
            case NONE, UNKNOWN_TOPIC_OR_PARTITION, INVALID_PRODUCER_EPOCH:
                return true;
            case TRANSACTION_COORDINATOR_FENCED:
                throw new TransactionCoordinatorFencedException("A newer coordinator owns transactional id "
                        + markers.transactionalId() + ": " + tp + " refused its marker");
            default:
                LOG.fine(() -> "Marker of " + markers.transactionalId() + " for " + tp + " not written yet: " + error);
                return false;
        }
    }

    /** Runs {@code attempt} on the pool until it answers true, every {@code retryBackoffMs}. */
    private CompletableFuture<Void> untilDone(Supplier<CompletableFuture<Boolean>> attempt, String what) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        run(attempt, what, done, 0);
        return done;
    }

    private void run(Supplier<CompletableFuture<Boolean>> attempt, String what, CompletableFuture<Void> done,
                     int tries) {
        if (closed) {
            done.completeExceptionally(new IllegalStateException("Broker stopping; " + what + " was not written"));
            return;
        }
        try {
            workers.execute(() -> {
                CompletableFuture<Boolean> result;
                try {
                    result = attempt.get();
                } catch (RuntimeException e) {
                    result = CompletableFuture.failedFuture(e);
                }
                result.whenComplete((ok, e) -> {
                    Throwable cause = e == null ? null : unwrap(e);
                    if (cause instanceof TransactionCoordinatorFencedException) {
                        done.completeExceptionally(cause);
                    } else if (Boolean.TRUE.equals(ok)) {
                        done.complete(null);
                    } else {
                        if (tries % 50 == 49)
                            LOG.log(Level.WARNING, "Still cannot write " + what + " after " + (tries + 1)
                                    + " tries", cause);
                        scheduler.schedule(() -> run(attempt, what, done, tries + 1), retryBackoffMs,
                                TimeUnit.MILLISECONDS);
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(e);
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    @Override
    public void close() {
        closed = true;
        workers.shutdownNow();
        connections.close();
    }
}
