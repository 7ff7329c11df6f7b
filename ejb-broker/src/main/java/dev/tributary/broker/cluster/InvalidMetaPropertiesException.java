package dev.tributary.broker.cluster;

/**
 * The data directory's {@code meta.properties} cannot be used: it is unreadable, not Tributary's, or belongs to
 * another cluster. The broker refuses to start rather than guess an identity, which could make two brokers one.
 */
public final class InvalidMetaPropertiesException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidMetaPropertiesException(String message) {
        super(message);
    }

    public InvalidMetaPropertiesException(String message, Throwable cause) {
        super(message, cause);
    }
}
