package dev.tributary.broker.kafka.network;

import java.util.logging.Level;

/**
 * Thrown by a handler, or by parsing, when the protocol's answer is to close the connection rather than respond:
 * a malformed request, an API or version this broker does not serve, or a failed acks=0 produce (whose client
 * would otherwise never learn of the failure). The close is logged at {@link #level()}: INFO unless the thrower
 * knows better (a client that repeats its mistake every second would otherwise flood the log).
 */
public final class CloseConnectionException extends RuntimeException {

    private final transient Level level;

    public CloseConnectionException(String message) {
        this(message, Level.INFO);
    }

    public CloseConnectionException(String message, Level level) {
        super(message, null, false, false);
        this.level = level;
    }

    public CloseConnectionException(String message, Throwable cause) {
        super(message, cause, false, false);
        this.level = Level.INFO;
    }

    /** How loudly the close is logged. */
    public Level level() {
        return level;
    }
}
