package dev.tributary.broker.transaction;

/**
 * A prepared-transaction file fails its checksum or cannot be parsed. The broker refuses to start rather than
 * guess whether that transaction's records should become visible.
 */
public class CorruptTransactionLogException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CorruptTransactionLogException(String message) {
        super(message);
    }

    public CorruptTransactionLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
