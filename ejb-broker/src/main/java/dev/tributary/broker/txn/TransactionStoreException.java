package dev.tributary.broker.txn;

/** The transaction state store could not be read or written; nothing of the failed call was stored. */
public class TransactionStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TransactionStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
