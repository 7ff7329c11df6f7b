package dev.tributary.broker.kafka.network;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;

/**
 * How loudly to log a connection closed because its client skipped authentication: at INFO the first time a client
 * address does so in {@link #QUIET_NANOS ten minutes}, at FINE after that. A client without SASL settings reconnects
 * about once a second for as long as it runs; its operator needs one line that says why, not one a second.
 *
 * <p>Thread-safe: the network threads share one instance. Remembers at most {@value #MAX_ADDRESSES} addresses.
 */
final class RepeatedRefusals {

    static final long QUIET_NANOS = 10L * 60 * 1_000_000_000L;
    static final int MAX_ADDRESSES = 1024;

    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    /** The level for a refusal of {@code clientHost} now ({@code nowNanos} from {@link System#nanoTime()}). */
    Level levelFor(String clientHost, long nowNanos) {
        if (lastLogged.size() >= MAX_ADDRESSES)
            lastLogged.values().removeIf(logged -> nowNanos - logged >= QUIET_NANOS);
        if (lastLogged.size() >= MAX_ADDRESSES)
            return Level.FINE; // a flood from many addresses: the first thousand were named
        boolean[] loud = {false};
        lastLogged.compute(clientHost, (host, logged) -> {
            if (logged == null || nowNanos - logged >= QUIET_NANOS) {
                loud[0] = true;
                return nowNanos;
            }
            return logged;
        });
        return loud[0] ? Level.INFO : Level.FINE;
    }
}
