package dev.tributary.broker.log;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads on which {@link LogManager#openLogs} loads (and after a crash recovers) several partition logs at
 * once: Kafka's {@code num.recovery.threads.per.data.dir}. A pool lives for one call: it is only needed at start.
 *
 * <p>{@link #runAll} returns only once every load has finished, whatever happened (a load that fails does not stop
 * the others), so that no load outlives the caller's lock on the log manager; an interrupt is kept for the caller
 * rather than cutting the wait short.
 */
final class RecoveryThreads {
    private RecoveryThreads() {
    }

    /**
     * Runs {@code loads} on up to {@code threads} threads and waits for all of them.
     *
     * @throws RuntimeException the first exception or error a load threw, once all have finished (an exception
     *                          that is not unchecked wrapped in an {@link IllegalStateException})
     */
    static void runAll(List<Runnable> loads, int threads) {
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "tributary-log-recovery-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Runnable load : loads)
                running.add(pool.submit(load));
            Throwable first = null;
            for (Future<?> load : running) {
                Throwable thrown = awaitUninterruptibly(load);
                if (first == null)
                    first = thrown;
            }
            if (first instanceof RuntimeException e)
                throw e;
            if (first instanceof Error e)
                throw e;
            if (first != null)
                throw new IllegalStateException("Opening a log failed: " + first, first);
        } finally {
            pool.shutdown();
        }
    }

    /** Waits for {@code load} to finish, even if interrupted; returns what it threw, if anything. */
    private static Throwable awaitUninterruptibly(Future<?> load) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    load.get();
                    return null;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    return e.getCause();
                }
            }
        } finally {
            if (interrupted)
                Thread.currentThread().interrupt();
        }
    }
}
