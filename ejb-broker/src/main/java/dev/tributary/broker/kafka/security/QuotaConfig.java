package dev.tributary.broker.kafka.security;

/**
 * Byte-rate quotas every principal gets on the Kafka listener (Kafka's {@code producer_byte_rate} and
 * {@code consumer_byte_rate} defaults), in bytes per second, {@link Long#MAX_VALUE} for none; rates are measured
 * over 11 windows of {@code windowMs} (Kafka's {@code quota.window.size.seconds}, default 1 s).
 */
public record QuotaConfig(long producerByteRate, long consumerByteRate, long windowMs) {

    public static final long DEFAULT_WINDOW_MS = 1000;
    public static final QuotaConfig UNLIMITED = new QuotaConfig(Long.MAX_VALUE, Long.MAX_VALUE, DEFAULT_WINDOW_MS);

    public QuotaConfig {
        if (producerByteRate < 1 || consumerByteRate < 1 || windowMs < 1)
            throw new IllegalArgumentException("Byte-rate quotas and their window must be positive");
    }
}
