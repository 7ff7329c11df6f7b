package dev.tributary.broker.log;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps background I/O below a rate: each caller reports the bytes it read or wrote and is made to wait when all
 * callers together got ahead of the rate (Kafka's {@code Throttler}, as its log cleaner uses it). Written for any
 * background reader or writer of the logs, not only the {@link LogCleaner}: a scrubber that verifies segments could
 * share one with the cleaner to bound their sum.
 *
 * <p>The rate is kept as a virtual clock of when the bytes reported so far may have been moved: every report
 * advances it by {@code bytes / rate}, from now if it lags the real clock; a caller waits until the real clock is
 * within {@link #BURST_NANOS} of it. Idle time is not saved up, so a throttler that sat unused does not then allow a
 * flood.
 *
 * <p>Thread-safe; callers wait without holding its lock, each for the bytes it reported.
 */
public final class Throttler {
    /** How far ahead of the rate callers may run before they wait: 100 ms of the rate's bytes. */
    static final long BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** How a caller waits. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private static final Sleeper THREAD_SLEEP = nanos -> TimeUnit.NANOSECONDS.sleep(nanos);

    private final double bytesPerSecond;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    /** Guarded by this: when the bytes reported so far may have been moved, on {@link #nanoTime}'s scale. */
    private long allowedUntil;

    /**
     * A throttler on the JVM's {@link System#nanoTime} that sleeps the calling thread.
     *
     * @param bytesPerSecond above 0; {@link Double#MAX_VALUE} (Kafka's default) or infinity never waits
     */
    public Throttler(double bytesPerSecond) {
        this(bytesPerSecond, System::nanoTime, THREAD_SLEEP);
    }

    Throttler(double bytesPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
        if (!(bytesPerSecond > 0))
            throw new IllegalArgumentException("A throttle rate must be above 0 bytes per second, not "
                    + bytesPerSecond);
        this.bytesPerSecond = bytesPerSecond;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.allowedUntil = nanoTime.getAsLong();
    }

    /** Whether this throttler can ever make a caller wait. */
    public boolean limited() {
        return bytesPerSecond < Double.MAX_VALUE;
    }

    /**
     * Reports {@code bytes} read or written and waits, if callers together are ahead of the rate, until they are
     * not.
     *
     * @throws InterruptedException if the caller is interrupted while it waits (its bytes still count)
     */
    public void acquire(long bytes) throws InterruptedException {
        if (!limited() || bytes <= 0)
            return;
        long wait;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            long cost = (long) Math.min(Long.MAX_VALUE / 4.0, bytes * 1e9 / bytesPerSecond);
            allowedUntil = Math.max(allowedUntil, now) + cost;
            wait = allowedUntil - now - BURST_NANOS;
        }
        if (wait > 0)
            sleeper.sleepNanos(wait);
    }
}
