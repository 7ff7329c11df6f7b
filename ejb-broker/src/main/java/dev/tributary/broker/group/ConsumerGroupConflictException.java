package dev.tributary.broker.group;

/**
 * A consumer group write named a version the store no longer has: another coordinator wrote the group since this
 * one loaded it. Nothing was written; the caller reloads the group before acting on it again.
 */
public final class ConsumerGroupConflictException extends ConsumerGroupStoreException {

    public ConsumerGroupConflictException(String message) {
        super(message);
    }
}
