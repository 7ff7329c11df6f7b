package dev.tributary.jca.outbound;

import dev.tributary.jca.api.OutgoingRecord;
import dev.tributary.jca.api.RecordMetadata;
import dev.tributary.jca.api.TributaryConnection;
import java.util.concurrent.CompletionStage;

/** The application's view of a managed connection; it may be moved to another one by the container. */
final class TributaryConnectionHandle implements TributaryConnection {

    private volatile TributaryManagedConnection managed;
    private volatile boolean closed;

    TributaryConnectionHandle(TributaryManagedConnection managed) {
        this.managed = managed;
    }

    @Override
    public RecordMetadata send(String topic, String key, byte[] value) {
        return send(OutgoingRecord.builder().topic(topic).key(key).value(value).build());
    }

    @Override
    public RecordMetadata send(OutgoingRecord record) {
        return open().send(record);
    }

    @Override
    public CompletionStage<RecordMetadata> sendAsync(OutgoingRecord record) {
        return open().sendAsync(record);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            managed.handleClosed(this);
        }
    }

    void moveTo(TributaryManagedConnection target) {
        TributaryManagedConnection previous = managed;
        managed = target;
        if (previous != target) {
            previous.forget(this);
        }
    }

    void invalidate() {
        closed = true;
    }

    private TributaryManagedConnection open() {
        if (closed) {
            throw new IllegalStateException("This Tributary connection is closed");
        }
        return managed;
    }
}
