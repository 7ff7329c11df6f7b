package dev.tributary.jca.outbound;

import dev.tributary.jca.api.RecordMetadata;
import dev.tributary.jca.spi.BrokerGateway;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The XA branch of one managed connection. Between {@code start} and {@code end} the connection buffers what it
 * sends; {@code prepare} hands the buffer to the broker's durable transaction log, {@code commit} makes it visible,
 * {@code rollback} drops it.
 *
 * <p>Crash semantics (see README): before {@code prepare} returns nothing is durable and nothing visible; a
 * prepared transaction survives a crash and is listed by {@link #recover}, so the TM's recovery commits or rolls
 * it back after the restart; a crash during {@code commit} leaves it prepared, and committing it again appends
 * only what the interrupted commit had not.
 */
final class TributaryXAResource implements XAResource {

    private static final Logger LOG = Logger.getLogger(TributaryXAResource.class.getName());

    private final TributaryManagedConnection connection;
    private final TransactionBuffers buffers;
    private final Supplier<BrokerGateway> broker;
    private int timeoutSeconds;

    TributaryXAResource(TributaryManagedConnection connection, TransactionBuffers buffers,
                        Supplier<BrokerGateway> broker) {
        this.connection = connection;
        this.buffers = buffers;
        this.broker = broker;
    }

    @Override
    public void start(Xid xid, int flags) throws XAException {
        String id = XidCodec.encode(xid);
        TransactionBuffer buffer;
        if ((flags & (TMJOIN | TMRESUME)) != 0) {
            buffer = buffers.get(id);
            if (buffer == null) {
                throw xaError(XAException.XAER_NOTA, "No transaction " + id + " to join or resume");
            }
        } else {
            buffer = buffers.begin(id);
            if (buffer == null) {
                throw xaError(XAException.XAER_DUPID, "Transaction " + id + " is already started");
            }
        }
        connection.attach(buffer);
    }

    @Override
    public void end(Xid xid, int flags) {
        connection.detach();
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        String id = XidCodec.encode(xid);
        TransactionBuffer buffer = buffers.get(id);
        if (buffer == null) {
            throw xaError(XAException.XAER_NOTA, "No transaction " + id + " to prepare");
        }
        if (buffer.isEmpty()) {
            buffers.remove(id);
            return XA_RDONLY;
        }
        try {
            broker.get().prepare(id, buffer.records());
            return XA_OK;
        } catch (IllegalArgumentException invalid) {
            rollBackBuffer(id, invalid);
            throw xaError(XAException.XA_RBINTEGRITY, invalid.getMessage(), invalid);
        } catch (UnsupportedOperationException twoPhase) { // remote mode: vote to roll back, naming why
            rollBackBuffer(id, twoPhase);
            throw xaError(XAException.XA_RBOTHER, twoPhase.getMessage(), twoPhase);
        } catch (RuntimeException e) {
            throw xaError(XAException.XAER_RMERR, "Could not prepare " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        String id = XidCodec.encode(xid);
        TransactionBuffer buffer = buffers.get(id);
        if (onePhase && buffer == null) {
            throw xaError(XAException.XAER_NOTA, "No transaction " + id + " to commit");
        }
        List<RecordMetadata> landed;
        try {
            if (onePhase) {
                landed = buffer.isEmpty() ? List.of() : broker.get().commitOnePhase(buffer.records());
            } else {
                landed = broker.get().commit(id);
            }
        } catch (IllegalArgumentException invalid) {
            // Only a one-phase commit validates here (a prepared transaction was validated at prepare).
            rollBackBuffer(id, invalid);
            throw xaError(XAException.XA_RBINTEGRITY, invalid.getMessage(), invalid);
        } catch (RuntimeException e) {
            // Still prepared (two-phase) or not appended at all (one-phase): the TM retries or recovers.
            throw xaError(XAException.XAER_RMERR, "Could not commit " + id + ": " + e.getMessage(), e);
        }
        buffers.remove(id);
        if (buffer != null) {
            buffer.committed(landed);
        }
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        String id = XidCodec.encode(xid);
        try {
            broker.get().rollback(id);
        } catch (RuntimeException e) {
            throw xaError(XAException.XAER_RMERR, "Could not roll back " + id + ": " + e.getMessage(), e);
        }
        rollBackBuffer(id, new IllegalStateException("Transaction " + id + " rolled back"));
    }

    private void rollBackBuffer(String id, Exception reason) {
        TransactionBuffer buffer = buffers.remove(id);
        if (buffer != null) {
            buffer.rolledBack(reason);
        }
    }

    @Override
    public Xid[] recover(int flag) throws XAException {
        if ((flag & TMSTARTRSCAN) == 0) {
            return new Xid[0]; // the whole list is returned by the start of the scan
        }
        try {
            return broker.get().preparedTransactions().stream().map(XidCodec::decode).filter(Objects::nonNull)
                    .toArray(Xid[]::new);
        } catch (RuntimeException e) {
            throw xaError(XAException.XAER_RMERR, "Could not list prepared transactions: " + e.getMessage(), e);
        }
    }

    /** No heuristic decisions are ever taken, so there is nothing to forget. */
    @Override
    public void forget(Xid xid) {
    }

    @Override
    public boolean isSameRM(XAResource other) {
        return other instanceof TributaryXAResource;
    }

    @Override
    public int getTransactionTimeout() {
        return timeoutSeconds;
    }

    /** Remembered only: buffered transactions hold no broker resources that would need a timeout. */
    @Override
    public boolean setTransactionTimeout(int seconds) {
        this.timeoutSeconds = seconds;
        return true;
    }

    private static XAException xaError(int code, String message) {
        XAException e = new XAException(message);
        e.errorCode = code;
        return e;
    }

    private static XAException xaError(int code, String message, Exception cause) {
        LOG.log(Level.WARNING, message, cause);
        XAException e = xaError(code, message);
        e.initCause(cause);
        return e;
    }
}
