package dev.tributary.broker.log;

/**
 * The broker's settings of the {@link LogCleaner}, under Kafka's names (set as {@code tributary.log.cleaner.*}).
 * Immutable; every instance is valid.
 *
 * @param threads             {@code log.cleaner.threads}: cleaner threads; each cleans one partition at a time.
 *                            0 turns compaction off (compacted logs then only grow)
 * @param dedupeBufferSize    {@code log.cleaner.dedupe.buffer.size}: the memory all threads together may use for
 *                            their {@link OffsetMap}s (24 bytes per key); a thread takes its share only while it
 *                            cleans, and no more than the keys of what it cleans need. A partition with more keys
 *                            than a share holds is cleaned in several passes
 * @param ioMaxBytesPerSecond {@code log.cleaner.io.max.bytes.per.second}: the cleaner's reads and writes together,
 *                            over all threads, stay below this on average ({@link Throttler})
 * @param backoffMs           {@code log.cleaner.backoff.ms}: how long a thread sleeps when no log needs cleaning
 */
public record CleanerConfig(int threads, long dedupeBufferSize, double ioMaxBytesPerSecond, long backoffMs) {

    public static final String THREADS = "log.cleaner.threads";
    public static final String DEDUPE_BUFFER_SIZE = "log.cleaner.dedupe.buffer.size";
    public static final String IO_MAX_BYTES_PER_SECOND = "log.cleaner.io.max.bytes.per.second";
    public static final String BACKOFF_MS = "log.cleaner.backoff.ms";

    /** Kafka's rule: a thread's share of the dedupe buffer is more than 1 MiB. */
    static final long MIN_DEDUPE_BUFFER_PER_THREAD = 1024 * 1024;
    /** Kafka's {@code log.cleaner.io.buffer.load.factor}: how full an offset map may get. */
    static final double DEDUPE_BUFFER_LOAD_FACTOR = 0.9;
    /** Kafka's {@code log.cleaner.io.buffer.size} for one thread's read buffer; grown for a larger batch. */
    static final int IO_BUFFER_SIZE = 512 * 1024;

    private static final CleanerConfig DEFAULTS = new CleanerConfig(1, 128L * 1024 * 1024, Double.MAX_VALUE, 15_000);

    /** Checks every value; the message names the setting as Kafka's {@code ConfigException} does. */
    public CleanerConfig {
        if (threads < 0)
            throw invalid(threads, THREADS, "Value must be at least 0");
        if (threads > 0 && dedupeBufferSize / threads <= MIN_DEDUPE_BUFFER_PER_THREAD)
            throw invalid(dedupeBufferSize, DEDUPE_BUFFER_SIZE, "must be at least 1MB per cleaner thread ("
                    + threads + " threads)");
        if (!(ioMaxBytesPerSecond > 0))
            throw invalid(ioMaxBytesPerSecond, IO_MAX_BYTES_PER_SECOND, "Value must be above 0");
        if (backoffMs < 0)
            throw invalid(backoffMs, BACKOFF_MS, "Value must be at least 0");
    }

    /** Kafka's defaults: one thread, 128 MiB, no I/O limit, 15 s back-off. */
    public static CleanerConfig defaults() {
        return DEFAULTS;
    }

    /** This configuration with the cleaner turned off: no threads. */
    public CleanerConfig disabled() {
        return new CleanerConfig(0, dedupeBufferSize, ioMaxBytesPerSecond, backoffMs);
    }

    /** Whether any thread cleans. */
    public boolean enabled() {
        return threads > 0;
    }

    /** One thread's share of the dedupe buffer, in bytes, within what one Java array can hold. */
    long dedupeBufferPerThread() {
        return Math.min(dedupeBufferSize / Math.max(1, threads), OffsetMap.MAX_MEMORY);
    }

    private static IllegalArgumentException invalid(Object value, String key, String why) {
        return new IllegalArgumentException("Invalid value " + value + " for configuration " + key + ": " + why);
    }
}
