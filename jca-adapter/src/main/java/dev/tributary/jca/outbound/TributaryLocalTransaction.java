package dev.tributary.jca.outbound;

import dev.tributary.jca.api.RecordMetadata;
import dev.tributary.jca.spi.BrokerGateway;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.LocalTransactionException;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A resource-local transaction of one managed connection (used by the container when the connection pool is
 * configured for {@code LocalTransaction}): records are buffered from {@code begin} and appended together, through
 * the broker's one-phase commit, at {@code commit}.
 */
final class TributaryLocalTransaction implements LocalTransaction {

    private final TributaryManagedConnection connection;
    private final TransactionBuffers buffers;
    private final Supplier<BrokerGateway> broker;
    private TransactionBuffer buffer;

    TributaryLocalTransaction(TributaryManagedConnection connection, TransactionBuffers buffers,
                              Supplier<BrokerGateway> broker) {
        this.connection = connection;
        this.buffers = buffers;
        this.broker = broker;
    }

    @Override
    public void begin() throws ResourceException {
        if (buffer != null) {
            throw new LocalTransactionException("A local transaction is already active on this connection");
        }
        buffer = buffers.begin("local-" + UUID.randomUUID());
        connection.attach(buffer);
    }

    @Override
    public void commit() throws ResourceException {
        TransactionBuffer committing = finish();
        try {
            List<RecordMetadata> landed = committing.isEmpty() ? List.of()
                    : broker.get().commitOnePhase(committing.records());
            committing.committed(landed);
        } catch (RuntimeException e) {
            committing.rolledBack(e);
            throw new LocalTransactionException("Could not commit the local transaction: " + e.getMessage(), e);
        }
    }

    @Override
    public void rollback() throws ResourceException {
        finish().rolledBack(new IllegalStateException("The local transaction rolled back"));
    }

    private TransactionBuffer finish() throws LocalTransactionException {
        if (buffer == null) {
            throw new LocalTransactionException("No local transaction is active on this connection");
        }
        TransactionBuffer finished = buffer;
        buffer = null;
        connection.detach();
        buffers.remove(finished.transactionId());
        return finished;
    }
}
