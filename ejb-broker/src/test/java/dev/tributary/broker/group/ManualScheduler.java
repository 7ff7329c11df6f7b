package dev.tributary.broker.group;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler and clock that move only when a test says so: {@link #advance} moves time forward and runs, on the
 * test's thread and in deadline order, every task that comes due (including tasks those tasks schedule).
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    /** More task runs in one advance than any test needs: timers that reschedule themselves forever. */
    private static final int MAX_RUNS_PER_ADVANCE = 100_000;

    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private long nowMs;
    private long sequence;
    private boolean shutdown;

    ManualScheduler(long startMs) {
        this.nowMs = startMs;
    }

    Clock clock() {
        return new Clock() {
            @Override
            public long millis() {
                return nowMs;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(nowMs);
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
    }

    long nowMs() {
        return nowMs;
    }

    /** Runs the tasks due now (those scheduled with no delay, for instance). */
    void runDue() {
        advance(0);
    }

    void advance(long millis) {
        long target = nowMs + millis;
        int runs = 0;
        while (true) {
            Task<?> next = queue.peek();
            if (next == null || next.dueMs > target) {
                break;
            }
            queue.poll();
            if (++runs > MAX_RUNS_PER_ADVANCE) {
                throw new IllegalStateException("Timers keep rescheduling themselves at " + nowMs + " ms");
            }
            nowMs = Math.max(nowMs, next.dueMs);
            if (!next.isCancelled()) {
                next.run();
            }
        }
        nowMs = target;
    }

    /** Scheduled tasks not yet run or cancelled. */
    long pendingTasks() {
        return queue.stream().filter(t -> !t.isCancelled()).count();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return schedule(() -> {
            command.run();
            return null;
        }, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }
        Task<V> task = new Task<>(callable, nowMs + Math.max(0, unit.toMillis(delay)), sequence++);
        queue.add(task);
        return task;
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        queue.clear();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    private final class Task<V> implements ScheduledFuture<V>, Runnable {
        private final Callable<V> work;
        private final long dueMs;
        private final long seq;
        private boolean cancelled;
        private boolean done;
        private V result;
        private Exception failure;

        Task(Callable<V> work, long dueMs, long seq) {
            this.work = work;
            this.dueMs = dueMs;
            this.seq = seq;
        }

        @Override
        public void run() {
            try {
                result = work.call();
            } catch (Exception e) {
                failure = e;
            }
            done = true;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueMs - nowMs, TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Task<?> o = (Task<?>) other;
            return dueMs != o.dueMs ? Long.compare(dueMs, o.dueMs) : Long.compare(seq, o.seq);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (done) {
                return false;
            }
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public V get() throws ExecutionException {
            if (!done) {
                throw new IllegalStateException("Not run yet; advance the scheduler");
            }
            if (failure != null) {
                throw new ExecutionException(failure);
            }
            return result;
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws ExecutionException {
            return get();
        }
    }
}
