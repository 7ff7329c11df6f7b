package dev.tributary.broker.metrics;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * A cumulative latency histogram with fixed bucket bounds, in the shape Prometheus expects: per upper bound the
 * number of observations at or below it, plus the count and the sum of all observations.
 *
 * <p>{@link #record} allocates nothing and takes no lock (a short scan of the bounds and two
 * {@link LongAdder} increments), so it can sit on every request and every fsync. Readers see each adder's sum;
 * a snapshot taken while observations arrive may be off by the ones in flight, never more.
 */
public final class LatencyHistogram {

    /** Upper bounds in seconds, from 0.5 ms to 10 s: wide enough for a page-cache read and a slow fsync alike. */
    public static final double[] DEFAULT_BOUNDS_SECONDS =
            {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};

    private final long[] boundsNanos;
    private final double[] boundsSeconds;
    /** Observations per bucket (not cumulative); the last one counts those above every bound. */
    private final LongAdder[] buckets;
    private final LongAdder sumNanos = new LongAdder();

    public LatencyHistogram() {
        this(DEFAULT_BOUNDS_SECONDS);
    }

    /** @param boundsSeconds strictly increasing upper bounds in seconds */
    public LatencyHistogram(double... boundsSeconds) {
        for (int i = 1; i < boundsSeconds.length; i++) {
            if (boundsSeconds[i] <= boundsSeconds[i - 1])
                throw new IllegalArgumentException("Bounds must increase: " + Arrays.toString(boundsSeconds));
        }
        this.boundsSeconds = boundsSeconds.clone();
        this.boundsNanos = new long[boundsSeconds.length];
        for (int i = 0; i < boundsSeconds.length; i++)
            boundsNanos[i] = Math.round(boundsSeconds[i] * 1e9);
        this.buckets = new LongAdder[boundsSeconds.length + 1];
        for (int i = 0; i < buckets.length; i++)
            buckets[i] = new LongAdder();
    }

    /** Records one observation of {@code nanos} (negative values, from a clock step, count as 0). */
    public void record(long nanos) {
        long value = Math.max(0, nanos);
        int i = 0;
        while (i < boundsNanos.length && value > boundsNanos[i])
            i++;
        buckets[i].increment();
        sumNanos.add(value);
    }

    /** The bucket upper bounds in seconds (without +Inf). */
    public double[] boundsSeconds() {
        return boundsSeconds.clone();
    }

    /** Observations at or below {@code boundsSeconds()[index]}; {@code index == bounds} means all (+Inf). */
    public long cumulativeCount(int index) {
        long total = 0;
        for (int i = 0; i <= index; i++)
            total += buckets[i].sum();
        return total;
    }

    public long count() {
        return cumulativeCount(buckets.length - 1);
    }

    public double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }
}
