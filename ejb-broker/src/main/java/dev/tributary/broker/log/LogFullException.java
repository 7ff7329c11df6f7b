package dev.tributary.broker.log;

import org.apache.kafka.common.errors.KafkaStorageException;

/**
 * An append failed because the file system is full. Unlike other I/O errors it leaves the log online: the partial
 * write was cut off again, everything appended before is intact, and appends succeed once space returns. On the
 * wire it is Kafka's KAFKA_STORAGE_ERROR (retriable); over REST, 507 Insufficient Storage.
 */
public class LogFullException extends KafkaStorageException {

    private static final long serialVersionUID = 1L;

    public LogFullException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether {@code e} is the file system saying it has no space left (ENOSPC, or EDQUOT for a user's quota). */
    static boolean isNoSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("No space left on device") || message.contains("Disk quota exceeded")))
                return true;
        }
        return false;
    }
}
