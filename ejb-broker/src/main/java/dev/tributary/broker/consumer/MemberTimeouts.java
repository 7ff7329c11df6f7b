package dev.tributary.broker.consumer;

import java.time.Duration;

/**
 * The timeouts an in-process member joins with, with the meaning (and defaults) of Kafka's consumer configs
 * {@code session.timeout.ms}, {@code max.poll.interval.ms} (the rebalance timeout) and
 * {@code heartbeat.interval.ms}.
 */
public record MemberTimeouts(Duration session, Duration rebalance, Duration heartbeatInterval) {

    public static MemberTimeouts defaults() {
        return new MemberTimeouts(Duration.ofSeconds(45), Duration.ofMinutes(5), Duration.ofSeconds(3));
    }
}
