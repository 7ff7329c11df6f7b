package dev.tributary.broker.group;

/** The consumer group store could not be read or written; nothing of the failed call was stored. */
public class ConsumerGroupStoreException extends RuntimeException {

    public ConsumerGroupStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public ConsumerGroupStoreException(String message) {
        super(message);
    }
}
