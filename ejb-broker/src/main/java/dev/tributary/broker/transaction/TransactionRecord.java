package dev.tributary.broker.transaction;

import dev.tributary.broker.records.NewRecord;
import java.util.Objects;

/** One record of a transaction, with the topic it goes to. */
public record TransactionRecord(String topic, NewRecord record) {

    public TransactionRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(record, "record");
    }
}
