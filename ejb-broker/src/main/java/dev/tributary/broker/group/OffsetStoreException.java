package dev.tributary.broker.group;

/**
 * The offset store could not complete a read or write; nothing of the failed call was stored. The coordinator
 * answers the request with a retriable error (COORDINATOR_NOT_AVAILABLE), as Kafka does when its offsets topic
 * cannot be written.
 */
public class OffsetStoreException extends RuntimeException {

    public OffsetStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
