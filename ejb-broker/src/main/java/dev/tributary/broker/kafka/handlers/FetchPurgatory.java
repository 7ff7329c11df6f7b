package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.kafka.network.CloseConnectionException;
import dev.tributary.broker.log.AppendListener;
import dev.tributary.broker.log.LogEndListener;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.topic.HostedReplicas;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * Fetch requests waiting for data (Kafka's fetch purgatory). A parked fetch watches its partitions and is
 * re-checked when one of them is appended to ({@link AppendListener} on the partition logs) and answered with
 * whatever there is when its {@code max_wait_ms} expires. Nothing polls: without appends a parked fetch costs one
 * scheduled timeout.
 *
 * <p>Re-checks and expiries run on the purgatory's own timer thread, never on the appending thread, which only
 * schedules the re-check (coalesced: at most one pending re-check per fetch).
 */
public final class FetchPurgatory implements AppendListener, LogEndListener, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FetchPurgatory.class.getName());

    /** Counts for monitoring and tests. */
    public record Stats(long parked, long completedByData, long expired) {
    }

    private final HostedReplicas replicas;
    private final ScheduledThreadPoolExecutor timer;
    private final ConcurrentHashMap<TopicPartition, Set<DelayedFetch>> watchers = new ConcurrentHashMap<>();
    /** Logs this purgatory listens to, so that {@link #close} can stop listening. */
    private final Set<PartitionLog> watchedLogs = ConcurrentHashMap.newKeySet();
    /** Logs whose log end followers' fetches wait for. */
    private final Set<PartitionLog> watchedLogEnds = ConcurrentHashMap.newKeySet();
    private final LongAdder parked = new LongAdder();
    private final LongAdder completedByData = new LongAdder();
    private final LongAdder expired = new LongAdder();

    public FetchPurgatory(HostedReplicas replicas, ThreadFactory threads) {
        this.replicas = replicas;
        this.timer = new ScheduledThreadPoolExecutor(1, threads);
        this.timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * Parks {@code fetch} until an append satisfies it or {@code maxWaitMs} passes.
     *
     * @return the response, completed from the timer thread
     */
    CompletableFuture<AbstractResponse> park(FetchOperation fetch, long maxWaitMs) {
        DelayedFetch delayed = new DelayedFetch(fetch);
        parked.increment();
        for (TopicPartition tp : fetch.partitions()) {
            watchers.compute(tp, (key, set) -> {
                Set<DelayedFetch> result = set != null ? set : ConcurrentHashMap.newKeySet();
                result.add(delayed);
                return result;
            });
            try {
                PartitionLog log = replicas.leaderLog(tp.topic(), tp.partition());
                if (fetch.fromReplica()) {
                    if (watchedLogEnds.add(log))
                        log.addLogEndListener(this);
                } else if (watchedLogs.add(log)) {
                    log.addAppendListener(this);
                }
            } catch (RuntimeException e) {
                // deleted or offline meanwhile: the check below answers with the error
            }
        }
        try {
            delayed.timeout = timer.schedule(() -> complete(delayed, true), maxWaitMs, TimeUnit.MILLISECONDS);
            // An append between the caller's first read and the watch above would otherwise go unnoticed.
            scheduleCheck(delayed);
        } catch (RejectedExecutionException e) {
            delayed.future.completeExceptionally(new CloseConnectionException("The broker is shutting down", e));
        }
        return delayed.future;
    }

    /** The high watermark rose: consumers may have more to read. */
    @Override
    public void onAppend(TopicPartition topicPartition, long highWatermark) {
        wake(topicPartition, false);
    }

    /** The log end moved: followers have more to replicate. */
    @Override
    public void onLogEnd(TopicPartition topicPartition, long logEndOffset) {
        wake(topicPartition, true);
    }

    private void wake(TopicPartition topicPartition, boolean replicaFetches) {
        Set<DelayedFetch> waiting = watchers.get(topicPartition);
        if (waiting == null)
            return;
        for (DelayedFetch delayed : waiting) {
            if (delayed.fetch.fromReplica() == replicaFetches)
                scheduleCheck(delayed);
        }
    }

    public Stats stats() {
        return new Stats(parked.sum(), completedByData.sum(), expired.sum());
    }

    private void scheduleCheck(DelayedFetch delayed) {
        if (delayed.done.get() || !delayed.checkPending.compareAndSet(false, true))
            return;
        try {
            timer.execute(() -> {
                delayed.checkPending.set(false);
                tryComplete(delayed);
            });
        } catch (RejectedExecutionException e) {
            delayed.checkPending.set(false); // shutting down
        }
    }

    private void tryComplete(DelayedFetch delayed) {
        if (delayed.done.get())
            return;
        try {
            FetchOperation.Result result = delayed.fetch.read();
            if (delayed.fetch.satisfiedBy(result))
                finish(delayed, result, false);
        } catch (RuntimeException e) {
            fail(delayed, e);
        }
    }

    private void complete(DelayedFetch delayed, boolean expiry) {
        if (delayed.done.get())
            return;
        try {
            finish(delayed, delayed.fetch.read(), expiry);
        } catch (RuntimeException e) {
            fail(delayed, e);
        }
    }

    private void finish(DelayedFetch delayed, FetchOperation.Result result, boolean expiry) {
        if (!delayed.done.compareAndSet(false, true))
            return;
        unwatch(delayed);
        (expiry ? expired : completedByData).increment();
        delayed.future.complete(delayed.fetch.answer(result));
    }

    private void fail(DelayedFetch delayed, RuntimeException e) {
        if (!delayed.done.compareAndSet(false, true))
            return;
        unwatch(delayed);
        if (!(e instanceof CloseConnectionException))
            LOG.log(Level.WARNING, "A parked fetch failed", e);
        delayed.future.completeExceptionally(e);
    }

    private void unwatch(DelayedFetch delayed) {
        ScheduledFuture<?> timeout = delayed.timeout;
        if (timeout != null)
            timeout.cancel(false);
        for (TopicPartition tp : delayed.fetch.partitions())
            watchers.computeIfPresent(tp, (key, set) -> {
                set.remove(delayed);
                return set.isEmpty() ? null : set;
            });
    }

    /** Stops the timer; fetches still parked are failed (their connections are closing anyway). */
    @Override
    public void close() {
        timer.shutdownNow();
        watchedLogs.forEach(log -> log.removeAppendListener(this));
        watchedLogs.clear();
        watchedLogEnds.forEach(log -> log.removeLogEndListener(this));
        watchedLogEnds.clear();
        for (Set<DelayedFetch> waiting : watchers.values())
            for (DelayedFetch delayed : waiting)
                fail(delayed, new CloseConnectionException("The broker is shutting down"));
        watchers.clear();
        try {
            if (!timer.awaitTermination(10, TimeUnit.SECONDS))
                LOG.warning("The fetch purgatory's timer did not stop in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class DelayedFetch {
        final FetchOperation fetch;
        final CompletableFuture<AbstractResponse> future = new CompletableFuture<>();
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicBoolean checkPending = new AtomicBoolean();
        volatile ScheduledFuture<?> timeout;

        DelayedFetch(FetchOperation fetch) {
            this.fetch = fetch;
        }
    }
}
