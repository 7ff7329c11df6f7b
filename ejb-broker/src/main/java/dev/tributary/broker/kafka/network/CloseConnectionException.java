package dev.tributary.broker.kafka.network;

/**
 * Thrown by a handler, or by parsing, when the protocol's answer is to close the connection rather than respond:
 * a malformed request, an API or version this broker does not serve, or a failed acks=0 produce (whose client
 * would otherwise never learn of the failure).
 */
public final class CloseConnectionException extends RuntimeException {

    public CloseConnectionException(String message) {
        super(message, null, false, false);
    }

    public CloseConnectionException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
