package dev.tributary.broker.log;

/**
 * A cleaning stopped before its end because it was asked to (the log was truncated, deleted or closed, or its
 * cleaning paused) or the segments it was cleaning were changed meanwhile. Not a failure: what it had committed
 * stays, its uncommitted output is removed, and the partition may be cleaned again later (Kafka's
 * {@code LogCleaningAbortedException}).
 */
final class CleaningAbortedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CleaningAbortedException(String message) {
        super(message, null, false, false);
    }
}
