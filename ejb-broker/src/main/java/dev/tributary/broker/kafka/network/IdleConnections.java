package dev.tributary.broker.kafka.network;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The connections of one {@link Processor} that are waiting for their client, least recently active first (Kafka's
 * {@code Selector.IdleExpiryManager}), so that finding those idle for {@code connections.max.idle.ms} means
 * looking at the head only, not at every connection on every turn of the loop.
 *
 * <p>A connection whose request is being handled (an fsync, a parked fetch) is not tracked: it is waiting for the
 * broker, not idle. It is tracked again, as active now, once its response is handed to it.
 *
 * <p>Confined to its processor's thread.
 */
final class IdleConnections {

    private final long maxIdleNanos;
    /** Access order: {@code put} moves a connection to the tail, so the head is the least recently active. */
    private final LinkedHashMap<KafkaConnection, Long> lastActiveNanos = new LinkedHashMap<>(16, 0.75f, true);

    IdleConnections(long maxIdleMs) {
        this.maxIdleNanos = TimeUnit.MILLISECONDS.toNanos(maxIdleMs);
    }

    /** {@code connection} did something (or got a response) at {@code nowNanos} and now waits for its client. */
    void touch(KafkaConnection connection, long nowNanos) {
        lastActiveNanos.put(connection, nowNanos);
    }

    /** {@code connection} has a request in progress, or is closed. */
    void remove(KafkaConnection connection) {
        lastActiveNanos.remove(connection);
    }

    /** The least recently active connection if it has been idle for the limit, no longer tracked; else null. */
    KafkaConnection pollExpired(long nowNanos) {
        Iterator<Map.Entry<KafkaConnection, Long>> eldest = lastActiveNanos.entrySet().iterator();
        if (!eldest.hasNext())
            return null;
        Map.Entry<KafkaConnection, Long> entry = eldest.next();
        if (nowNanos - entry.getValue() < maxIdleNanos)
            return null;
        eldest.remove();
        return entry.getKey();
    }

    /** Milliseconds (at least 1) until {@link #pollExpired} can next return a connection, or Long.MAX_VALUE. */
    long millisUntilNextExpiry(long nowNanos) {
        Iterator<Long> eldest = lastActiveNanos.values().iterator();
        if (!eldest.hasNext())
            return Long.MAX_VALUE;
        long remainingNanos = maxIdleNanos - (nowNanos - eldest.next()); // no overflow for a limit of Long.MAX_VALUE
        long nanosPerMs = TimeUnit.MILLISECONDS.toNanos(1);
        long ms = remainingNanos / nanosPerMs + (remainingNanos % nanosPerMs > 0 ? 1 : 0);
        return Math.max(1, ms);
    }
}
