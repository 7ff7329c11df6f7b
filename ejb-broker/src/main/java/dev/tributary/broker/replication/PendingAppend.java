package dev.tributary.broker.replication;

import dev.tributary.broker.log.LogAppendInfo;
import dev.tributary.broker.log.PartitionLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Records in the leader's log that are not acknowledged yet: written, their offsets final, but maybe not yet as
 * durable and as replicated as their {@link RequiredAcks} promise. {@link LeaderAppends} makes them; the writer
 * waits for {@link #completion()} once it has appended everything it has to append, so that the fsyncs and the
 * replication of several appends overlap.
 *
 * <p>Not thread-safe: one writer calls {@link #completion()} (or {@link #awaitAll}) once.
 */
public final class PendingAppend {

    private final PartitionLog log;
    private final LogAppendInfo appended;
    private final RequiredAcks acks;
    private final Duration timeout;
    private final InSyncReplicas inSync;

    PendingAppend(PartitionLog log, LogAppendInfo appended, RequiredAcks acks, Duration timeout,
                  InSyncReplicas inSync) {
        this.log = log;
        this.appended = appended;
        this.acks = acks;
        this.timeout = timeout;
        this.inSync = inSync;
    }

    public TopicPartition partition() {
        return log.topicPartition();
    }

    /** Where the records landed: their offsets and, under {@code LogAppendTime}, the time stamped on them. */
    public LogAppendInfo appended() {
        return appended;
    }

    /** The leader log's start offset now (what a Produce response v5+ reports). */
    public long logStartOffset() {
        return log.logStartOffset();
    }

    private long endOffset() {
        return appended.lastOffset() + 1;
    }

    /**
     * Returns once the records are on the leader's disk, whatever {@code flush.messages} says: for a writer that
     * promises durability when it returns (a JCA transaction's commit, after which its prepared file is deleted).
     * Waits first for the fsync the flush policy demands, shared with other appends, and fsyncs only what that left.
     *
     * @throws org.apache.kafka.common.errors.KafkaStorageException if the fsync failed (the log is offline now)
     */
    public void makeDurable() {
        log.awaitFlushPolicy(appended);
        if (log.recoveryPoint() < endOffset())
            log.flush();
    }

    /**
     * Waits on the calling thread for the fsync that {@code flush.messages} demands (shared with the appends made
     * meanwhile), never for the in-sync replicas: the future it returns completes with {@link #appended()} at once
     * for {@link RequiredAcks#LEADER}, and for {@link RequiredAcks#ALL} once every in-sync replica holds the
     * records. It fails, rather than this method throwing, with the cause itself (never wrapped in a
     * {@link CompletionException}):
     * <ul>
     *   <li>{@link org.apache.kafka.common.errors.KafkaStorageException} if the fsync failed;</li>
     *   <li>{@link TimeoutException} if the in-sync replicas did not all get the records within the timeout given
     *       at the append: the records are in the leader's log and may still be committed;</li>
     *   <li>{@link org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException} or
     *       {@link org.apache.kafka.common.errors.NotLeaderOrFollowerException} as {@link InSyncReplicas} says.</li>
     * </ul>
     */
    public CompletableFuture<LogAppendInfo> completion() {
        try {
            log.awaitFlushPolicy(appended);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (acks == RequiredAcks.LEADER)
            return CompletableFuture.completedFuture(appended);
        CompletableFuture<LogAppendInfo> acknowledged = new CompletableFuture<>();
        inSync.awaitReplicated(partition(), endOffset())
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((replicated, e) -> {
                    if (e == null)
                        acknowledged.complete(appended);
                    else
                        acknowledged.completeExceptionally(replicationFailure(e));
                });
        return acknowledged;
    }

    private RuntimeException replicationFailure(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof java.util.concurrent.TimeoutException)
            return new TimeoutException("The in-sync replicas of " + partition() + " did not all receive the records"
                    + " within " + timeout.toMillis() + " ms; they are in the leader's log and may still be committed");
        return cause instanceof RuntimeException runtime ? runtime : new KafkaException(cause);
    }

    /**
     * Blocks until every one of {@code appends} is acknowledged, for writers that answer only then (REST, the JCA
     * adapter, transactions). The fsyncs are awaited in order, and a failed one throws at once; the waits for the
     * in-sync replicas run together.
     *
     * @throws RuntimeException what a {@link #completion()} failed with
     * @throws InterruptException if the thread is interrupted while waiting
     */
    public static void awaitAll(Collection<PendingAppend> appends) {
        List<CompletableFuture<LogAppendInfo>> waits = new ArrayList<>(appends.size());
        for (PendingAppend append : appends) {
            CompletableFuture<LogAppendInfo> wait = append.completion();
            if (wait.isCompletedExceptionally())
                await(wait); // throws its failure
            waits.add(wait);
        }
        await(CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)));
    }

    private static void await(CompletableFuture<?> future) {
        try {
            future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new KafkaException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }
}
