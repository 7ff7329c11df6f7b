package dev.tributary.broker.log;

/**
 * How the {@link LogScrubber} re-reads the sealed segments of every log to find damage before a reader does.
 *
 * @param enabled        whether it runs at all
 * @param bytesPerSecond the most it reads per second, all logs together
 * @param intervalMs     how often a pass over every sealed segment starts; the first starts when the broker does,
 *                       and one that overran its interval is followed by the next at once
 */
public record ScrubberConfig(boolean enabled, long bytesPerSecond, long intervalMs) {

    /** 8 MiB/s: a full pass over 10 GB of sealed segments takes about 20 minutes. */
    public static final long DEFAULT_BYTES_PER_SECOND = 8L * 1024 * 1024;
    /** A day. */
    public static final long DEFAULT_INTERVAL_MS = 24L * 60 * 60 * 1000;

    /** @throws IllegalArgumentException naming the value that is out of range */
    public ScrubberConfig {
        if (bytesPerSecond < 1)
            throw new IllegalArgumentException("The scrubber's bytes per second must be at least 1, not "
                    + bytesPerSecond);
        if (intervalMs < 1)
            throw new IllegalArgumentException("The scrubber's interval must be at least 1 ms, not " + intervalMs);
    }

    public static ScrubberConfig defaults() {
        return new ScrubberConfig(true, DEFAULT_BYTES_PER_SECOND, DEFAULT_INTERVAL_MS);
    }
}
