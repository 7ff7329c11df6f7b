package dev.tributary.broker.kafka.security;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Byte-rate quotas per principal, measured as Kafka measures them ({@code Rate} over {@value #SAMPLES} windows):
 * the bytes of the windows still counted, divided by the time since the oldest of them began — but never less than
 * {@code SAMPLES - 1} windows, so a client is not throttled for the burst of its first second. A principal over
 * its quota is throttled for {@code (rate - quota) / quota * elapsed}, Kafka's formula, at most
 * {@code SAMPLES} windows. Thread-safe; one instance per kind (produce or fetch).
 */
final class ClientQuotas {

    static final int SAMPLES = 11;

    private final long bytesPerSecond;
    private final long windowMs;
    private final LongSupplier clockMs;
    private final Map<String, RateWindows> rates = new ConcurrentHashMap<>();

    /**
     * @param bytesPerSecond the quota of every principal; {@link Long#MAX_VALUE} for none
     * @param windowMs       one sample window (Kafka's {@code quota.window.size.seconds}, 1 s by default)
     */
    ClientQuotas(long bytesPerSecond, long windowMs, LongSupplier clockMs) {
        if (bytesPerSecond < 1 || windowMs < 1)
            throw new IllegalArgumentException("A byte-rate quota and its window must be positive");
        this.bytesPerSecond = bytesPerSecond;
        this.windowMs = windowMs;
        this.clockMs = clockMs;
    }

    boolean unlimited() {
        return bytesPerSecond == Long.MAX_VALUE;
    }

    /** Counts {@code bytes} for {@code principal}; returns how long to throttle it, 0 if it is within its quota. */
    long record(String principal, long bytes) {
        if (unlimited())
            return 0;
        RateWindows windows = rates.computeIfAbsent(principal, p -> new RateWindows());
        synchronized (windows) {
            long now = clockMs.getAsLong();
            windows.add(now, bytes);
            long elapsedMs = windows.elapsedMs(now);
            double rate = windows.total(now) * 1000.0 / elapsedMs;
            if (rate <= bytesPerSecond)
                return 0;
            return Math.min(SAMPLES * windowMs, (long) ((rate - bytesPerSecond) / bytesPerSecond * elapsedMs));
        }
    }

    /** The byte counts of the last windows, each slot reused once its window is too old to count. */
    private final class RateWindows {

        private final long[] bytes = new long[SAMPLES];
        private final long[] windowStart = new long[SAMPLES];

        RateWindows() {
            Arrays.fill(windowStart, Long.MIN_VALUE);
        }

        void add(long now, long count) {
            long start = now - now % windowMs;
            int slot = (int) ((now / windowMs) % SAMPLES);
            if (windowStart[slot] != start) {
                windowStart[slot] = start;
                bytes[slot] = 0;
            }
            bytes[slot] += count;
        }

        long total(long now) {
            long sum = 0;
            for (int i = 0; i < SAMPLES; i++) {
                if (counts(windowStart[i], now))
                    sum += bytes[i];
            }
            return sum;
        }

        long elapsedMs(long now) {
            long oldest = now - now % windowMs;
            for (long start : windowStart) {
                if (counts(start, now))
                    oldest = Math.min(oldest, start);
            }
            long elapsed = now - oldest;
            long fullWindows = elapsed / windowMs;
            return fullWindows < SAMPLES - 1 ? elapsed + (SAMPLES - 1 - fullWindows) * windowMs : elapsed;
        }

        private boolean counts(long start, long now) {
            return start != Long.MIN_VALUE && start > now - SAMPLES * windowMs;
        }
    }
}
