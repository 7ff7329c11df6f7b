package dev.tributary.jca.outbound;

import dev.tributary.jca.api.OutgoingRecord;
import dev.tributary.jca.api.RecordMetadata;
import dev.tributary.jca.spi.InVmBroker;
import jakarta.resource.spi.work.Work;
import java.util.concurrent.CompletableFuture;

/** One {@code sendAsync} outside a transaction, run on the adapter's WorkManager. */
final class SendWork implements Work {

    private final InVmBroker broker;
    private final OutgoingRecord record;
    private final CompletableFuture<RecordMetadata> sent;

    SendWork(InVmBroker broker, OutgoingRecord record, CompletableFuture<RecordMetadata> sent) {
        this.broker = broker;
        this.record = record;
        this.sent = sent;
    }

    @Override
    public void run() {
        try {
            sent.complete(broker.append(record));
        } catch (RuntimeException e) {
            sent.completeExceptionally(e);
        }
    }

    /** A send is short: nothing to interrupt; an unfinished one fails its caller's stage. */
    @Override
    public void release() {
        sent.completeExceptionally(new IllegalStateException("The resource adapter is stopping"));
    }
}
