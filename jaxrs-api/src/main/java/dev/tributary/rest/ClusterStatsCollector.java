package dev.tributary.rest;

import dev.tributary.broker.cluster.BrokerStatus;
import dev.tributary.rest.dto.BrokerStats;
import dev.tributary.rest.dto.BrokerStatsEntry;
import dev.tributary.rest.dto.ClusterStats;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Every broker's stats, for {@code GET /stats/brokers}: the answering broker's read directly, the others' asked of
 * their REST APIs all at once. A broker that is down, announced no REST URL, or does not answer within the deadline
 * is listed as unreachable with the reason: one broker's trouble never fails or stalls the whole answer beyond the
 * deadline.
 *
 * <p>Stateless; each call waits at most {@code deadline} for the slowest broker.
 */
final class ClusterStatsCollector {

    private final Function<URI, CompletableFuture<BrokerStats>> remote;
    private final Duration deadline;

    /**
     * @param remote   asks the broker at a REST base URL for its stats; a failure's message says why
     * @param deadline how long to wait for all the other brokers together
     */
    ClusterStatsCollector(Function<URI, CompletableFuture<BrokerStats>> remote, Duration deadline) {
        this.remote = remote;
        this.deadline = deadline;
    }

    /**
     * @param brokers the registered brokers, alive or not
     * @param localId the id of the broker answering, whose stats {@code local} reads
     */
    ClusterStats collect(List<BrokerStatus> brokers, int localId, Supplier<BrokerStats> local) {
        List<CompletableFuture<BrokerStatsEntry>> asked = new ArrayList<>();
        for (BrokerStatus broker : brokers) {
            asked.add(broker.id() == localId ? CompletableFuture.completedFuture(null) : ask(broker));
        }
        long waitUntil = System.nanoTime() + deadline.toNanos();
        List<BrokerStatsEntry> entries = new ArrayList<>();
        boolean localListed = false;
        for (int i = 0; i < brokers.size(); i++) {
            BrokerStatus broker = brokers.get(i);
            if (broker.id() == localId) {
                entries.add(BrokerStatsEntry.reached(localId, true, local.get()));
                localListed = true;
            } else {
                entries.add(await(broker, asked.get(i), waitUntil));
            }
        }
        if (!localListed) { // a broker still joining is not registered yet, yet it answers
            entries.add(0, BrokerStatsEntry.reached(localId, true, local.get()));
        }
        return new ClusterStats(System.currentTimeMillis(), entries);
    }

    private CompletableFuture<BrokerStatsEntry> ask(BrokerStatus broker) {
        if (!broker.alive()) {
            return CompletableFuture.completedFuture(BrokerStatsEntry.unreachable(broker.id(), false,
                    "broker " + broker.id() + " is down (the cluster does not count it alive)"));
        }
        if (broker.httpUrl().isEmpty()) {
            return CompletableFuture.completedFuture(BrokerStatsEntry.unreachable(broker.id(), true,
                    "broker " + broker.id() + " announced no REST URL (set tributary.http.url on it)"));
        }
        URI base;
        try {
            base = URI.create(broker.httpUrl().get());
        } catch (IllegalArgumentException malformed) {
            return CompletableFuture.completedFuture(BrokerStatsEntry.unreachable(broker.id(), true,
                    "broker " + broker.id() + " announced a malformed REST URL: " + broker.httpUrl().get()));
        }
        try {
            return remote.apply(base).thenApply(stats -> BrokerStatsEntry.reached(broker.id(), false, stats));
        } catch (RuntimeException failed) { // a client that fails at once rather than through the future
            return CompletableFuture.failedFuture(failed);
        }
    }

    private BrokerStatsEntry await(BrokerStatus broker, CompletableFuture<BrokerStatsEntry> entry, long waitUntil) {
        try {
            return entry.get(Math.max(0, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException slow) {
            entry.cancel(true);
            return BrokerStatsEntry.unreachable(broker.id(), true,
                    "broker " + broker.id() + " did not answer within " + deadline.toMillis() + " ms");
        } catch (ExecutionException | CompletionException failed) {
            Throwable cause = failed.getCause() == null ? failed : failed.getCause();
            return BrokerStatsEntry.unreachable(broker.id(), true, "broker " + broker.id() + ": " + cause.getMessage());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return BrokerStatsEntry.unreachable(broker.id(), true, "interrupted while waiting for broker "
                    + broker.id());
        }
    }
}
