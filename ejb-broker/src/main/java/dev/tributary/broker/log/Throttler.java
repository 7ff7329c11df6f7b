package dev.tributary.broker.log;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps background I/O on the logs below a rate in bytes per second: a caller reports the bytes it just read or
 * wrote and is made to wait if it, together with every other caller of the same throttler, got ahead of the rate.
 * The {@link LogScrubber} reads through one; it is meant for any background reader or writer of the logs (Kafka's
 * log cleaner throttles its I/O the same way), and one shared instance bounds the sum of what its callers do.
 *
 * <p>A token bucket: {@link #BURST_NANOS} worth of the rate may go through without waiting; every report takes its
 * bytes from the bucket, which refills at the rate up to that size. A report that leaves the bucket in debt waits
 * until the refill would have paid the debt, so later callers wait behind it. Time spent idle fills the bucket only
 * up to the burst, so a throttler that sat unused never lets a flood through.
 *
 * <p>Thread-safe: the bucket is updated under this object's lock; callers wait outside it.
 */
public final class Throttler {
    /** How much of the rate may pass at once before callers wait: 100 ms of it. */
    static final long BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** How a caller waits; the JVM's sleep outside tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final double bytesPerSecond;
    private final double burstBytes;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    /** Guarded by this. Bytes that may pass now without waiting; negative while callers owe the rate. */
    private double available;
    /** Guarded by this. When {@link #available} was last brought up to date, on {@link #nanoTime}'s scale. */
    private long refilledAt;

    /**
     * A throttler on {@link System#nanoTime} that puts the calling thread to sleep.
     *
     * @param bytesPerSecond above 0; {@link Double#MAX_VALUE} or infinity never makes anyone wait
     */
    public Throttler(double bytesPerSecond) {
        this(bytesPerSecond, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    Throttler(double bytesPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
        if (!(bytesPerSecond > 0))
            throw new IllegalArgumentException("A throttle rate must be above 0 bytes per second, not " + bytesPerSecond);
        this.bytesPerSecond = bytesPerSecond;
        this.burstBytes = bytesPerSecond * BURST_NANOS / 1e9;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.available = burstBytes;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** Whether this throttler can ever make a caller wait. */
    public boolean limited() {
        return bytesPerSecond < Double.MAX_VALUE;
    }

    /**
     * Reports {@code bytes} just read or written, and waits while the callers together are ahead of the rate.
     *
     * @throws InterruptedException if the caller is interrupted while it waits; its bytes still count
     */
    public void acquire(long bytes) throws InterruptedException {
        if (!limited() || bytes <= 0)
            return;
        long waitNanos;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            available = Math.min(burstBytes, available + (now - refilledAt) * bytesPerSecond / 1e9);
            refilledAt = now;
            available -= bytes;
            waitNanos = available >= 0 ? 0 : (long) Math.min(Long.MAX_VALUE, -available * 1e9 / bytesPerSecond);
        }
        if (waitNanos > 0)
            sleeper.sleepNanos(waitNanos);
    }

    @Override
    public String toString() {
        return limited() ? "Throttler(" + (long) bytesPerSecond + " bytes/s)" : "Throttler(unlimited)";
    }
}
