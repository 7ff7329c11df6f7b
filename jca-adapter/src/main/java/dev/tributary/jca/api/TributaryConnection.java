package dev.tributary.jca.api;

import java.util.concurrent.CompletionStage;

/**
 * A handle for sending records, from {@link TributaryConnectionFactory#getConnection()}; use it in
 * try-with-resources. Not thread-safe: one handle per thread of work, as with JDBC connections.
 *
 * <p>Outside a transaction, a send is acknowledged once the record is appended (and fsynced as the topic's
 * {@code flush.messages} asks). Inside a JTA transaction (XA) or a local transaction, records are buffered and
 * appended only when the transaction commits, all together; on rollback none is.
 *
 * <p>Failures are unchecked: {@link IllegalArgumentException} for an unknown topic or partition or an invalid
 * record, {@link IllegalStateException} when no broker is running or the handle is closed.
 */
public interface TributaryConnection extends AutoCloseable {

    /** Sends a keyed record (key may be null). */
    RecordMetadata send(String topic, String key, byte[] value);

    RecordMetadata send(OutgoingRecord record);

    /**
     * Sends without waiting for the append. Inside a transaction the stage completes when the transaction commits
     * (with the record's offset) or fails when it rolls back.
     */
    CompletionStage<RecordMetadata> sendAsync(OutgoingRecord record);

    /** Returns the handle to the pool; a transaction it joined goes on. */
    @Override
    void close();
}
