package dev.tributary.broker.txn;

/**
 * The transaction coordinator's settings, named and defaulted as Kafka's broker settings.
 *
 * @param maxTimeoutMs          {@code transaction.max.timeout.ms}: the longest {@code transaction.timeout.ms} a
 *                              producer may ask for (InitProducerId answers INVALID_TRANSACTION_TIMEOUT beyond it)
 * @param idExpirationMs        {@code transactional.id.expiration.ms}: an id without an open transaction that has
 *                              not been used this long is forgotten
 * @param abortCheckIntervalMs  {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}: how often
 *                              timed-out transactions are aborted, expired ids removed and unfinished markers
 *                              resumed
 * @param markerRetryBackoffMs  how long a marker that could not be written waits before it is tried again
 * @param transactionVersion    the {@code transaction.version} feature level the brokers finalize: 2 (the default,
 *                              Kafka 4's) lets clients use KIP-890 part 2, 1 keeps them on explicit
 *                              AddPartitionsToTxn and AddOffsetsToTxn without epoch bumps at EndTxn
 */
public record TransactionCoordinatorConfig(int maxTimeoutMs, long idExpirationMs, long abortCheckIntervalMs,
                                           long markerRetryBackoffMs, short transactionVersion) {

    public static final int DEFAULT_MAX_TIMEOUT_MS = 900_000;
    public static final long DEFAULT_ID_EXPIRATION_MS = 604_800_000L;
    public static final long DEFAULT_ABORT_CHECK_INTERVAL_MS = 10_000L;

    public TransactionCoordinatorConfig {
        if (maxTimeoutMs <= 0)
            throw new IllegalArgumentException("transaction.max.timeout.ms must be positive, not " + maxTimeoutMs);
        if (idExpirationMs <= 0)
            throw new IllegalArgumentException("transactional.id.expiration.ms must be positive, not "
                    + idExpirationMs);
        if (abortCheckIntervalMs <= 0 || markerRetryBackoffMs <= 0)
            throw new IllegalArgumentException("intervals must be positive");
        if (transactionVersion < 1 || transactionVersion > 2)
            throw new IllegalArgumentException("transaction.version must be 1 or 2, not " + transactionVersion);
    }

    public static TransactionCoordinatorConfig defaults() {
        return new TransactionCoordinatorConfig(DEFAULT_MAX_TIMEOUT_MS, DEFAULT_ID_EXPIRATION_MS,
                DEFAULT_ABORT_CHECK_INTERVAL_MS, 100, (short) 2);
    }

    public TransactionCoordinatorConfig withMaxTimeoutMs(int value) {
        return new TransactionCoordinatorConfig(value, idExpirationMs, abortCheckIntervalMs, markerRetryBackoffMs,
                transactionVersion);
    }

    public TransactionCoordinatorConfig withIdExpirationMs(long value) {
        return new TransactionCoordinatorConfig(maxTimeoutMs, value, abortCheckIntervalMs, markerRetryBackoffMs,
                transactionVersion);
    }

    public TransactionCoordinatorConfig withAbortCheckIntervalMs(long value) {
        return new TransactionCoordinatorConfig(maxTimeoutMs, idExpirationMs, value, markerRetryBackoffMs,
                transactionVersion);
    }

    public TransactionCoordinatorConfig withTransactionVersion(short value) {
        return new TransactionCoordinatorConfig(maxTimeoutMs, idExpirationMs, abortCheckIntervalMs,
                markerRetryBackoffMs, value);
    }
}
