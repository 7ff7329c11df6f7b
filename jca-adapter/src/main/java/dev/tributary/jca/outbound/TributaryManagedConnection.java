package dev.tributary.jca.outbound;

import dev.tributary.jca.api.OutgoingRecord;
import dev.tributary.jca.api.RecordMetadata;
import dev.tributary.jca.spi.BrokerGateway;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;

/**
 * One pooled connection to the in-VM broker. It holds no socket: what it owns is its transaction state, the buffer
 * of the transaction it is enlisted in (if any), which every send goes to instead of the log.
 *
 * <p>Handles ({@link TributaryConnectionHandle}) are created per {@code getConnection} and may be shared out by the
 * container; sends through them are serialized per transaction by the buffer, and outside a transaction go
 * straight to the broker, which is thread-safe.
 */
final class TributaryManagedConnection implements ManagedConnection {

    private final TributaryManagedConnectionFactory factory;
    private final Set<TributaryConnectionHandle> handles = ConcurrentHashMap.newKeySet();
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private final TributaryXAResource xaResource;
    private final TributaryLocalTransaction localTransaction;
    private volatile TransactionBuffer transaction;
    private PrintWriter logWriter;

    TributaryManagedConnection(TributaryManagedConnectionFactory factory, TransactionBuffers buffers) {
        this.factory = factory;
        this.xaResource = new TributaryXAResource(this, buffers, factory::broker);
        this.localTransaction = new TributaryLocalTransaction(this, buffers, factory::broker);
    }

    // ---- what handles do ----

    RecordMetadata send(OutgoingRecord record) {
        TransactionBuffer buffer = transaction;
        BrokerGateway broker = factory.broker();
        if (buffer == null) {
            return broker.append(record);
        }
        OutgoingRecord placed = place(record, broker);
        buffer.add(placed);
        return new RecordMetadata(placed.topic(), placed.partition().getAsInt(), RecordMetadata.UNKNOWN_OFFSET,
                placed.timestamp().getAsLong());
    }

    /**
     * A transaction's copy of {@code record}, with the partition and (unless it has one) the create time fixed at
     * send time, so that what {@code send} answers is what the log will hold.
     */
    static OutgoingRecord place(OutgoingRecord record, BrokerGateway broker) {
        OutgoingRecord.Builder builder = OutgoingRecord.builder().topic(record.topic()).key(record.key().orElse(null))
                .value(record.value()).partition(broker.partitionFor(record))
                .timestamp(record.timestamp().orElse(System.currentTimeMillis()));
        record.headers().forEach(header -> builder.header(header.getKey(), header.getValue()));
        return builder.build();
    }

    /**
     * In a transaction, the stage completes at its end; outside, the record joins the adapter's batched
     * {@link AsyncSends}.
     */
    CompletionStage<RecordMetadata> sendAsync(OutgoingRecord record) {
        TransactionBuffer buffer = transaction;
        if (buffer != null) {
            return buffer.add(place(record, factory.broker()));
        }
        return factory.asyncSends().send(record);
    }

    void handleClosed(TributaryConnectionHandle handle) {
        if (handles.remove(handle)) {
            ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
            event.setConnectionHandle(handle);
            listeners.forEach(listener -> listener.connectionClosed(event));
        }
    }

    void attach(TransactionBuffer buffer) {
        transaction = buffer;
    }

    void detach() {
        transaction = null;
    }

    // ---- ManagedConnection ----

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) {
        TributaryConnectionHandle handle = new TributaryConnectionHandle(this);
        handles.add(handle);
        return handle;
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        if (!(connection instanceof TributaryConnectionHandle handle)) {
            throw new ResourceException("Not a Tributary connection handle: " + connection);
        }
        handle.moveTo(this);
        handles.add(handle);
    }

    /** Called when the handle moves to another managed connection: this one no longer tracks it. */
    void forget(TributaryConnectionHandle handle) {
        handles.remove(handle);
    }

    /** Back to the pool: handles still open are invalidated; the transaction state was ended by the TM. */
    @Override
    public void cleanup() {
        handles.forEach(TributaryConnectionHandle::invalidate);
        handles.clear();
        transaction = null;
    }

    @Override
    public void destroy() {
        cleanup();
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public XAResource getXAResource() {
        return xaResource;
    }

    @Override
    public LocalTransaction getLocalTransaction() {
        return localTransaction;
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        return new ManagedConnectionMetaData() {
            @Override
            public String getEISProductName() {
                return "Tributary";
            }

            @Override
            public String getEISProductVersion() {
                return TributaryManagedConnection.class.getPackage().getImplementationVersion();
            }

            @Override
            public int getMaxConnections() {
                return 0; // no limit of the broker's own
            }

            @Override
            public String getUserName() {
                return "";
            }
        };
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }
}
