package dev.tributary.broker.kafka.network;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kafka's {@code max.connections} for one listener: counts its open connections so that the acceptor can refuse
 * one beyond the limit. Thread-safe: the acceptor acquires, the network threads release, once per connection.
 */
final class ConnectionLimit {

    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionLimit(int max) {
        this.max = max;
    }

    /** Counts a new connection, unless {@link #max()} are open already. */
    boolean tryAcquire() {
        while (true) {
            int current = open.get();
            if (current >= max)
                return false;
            if (open.compareAndSet(current, current + 1))
                return true;
        }
    }

    /** A counted connection was closed. */
    void release() {
        open.decrementAndGet();
    }

    /** Connections counted and not yet released. */
    int open() {
        return open.get();
    }

    int max() {
        return max;
    }
}
