package dev.tributary.jca.inbound;

import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * Handed to {@code MessageEndpointFactory.createEndpoint} for a transacted bean, so the container enlists it in the
 * transaction it delivers in: the record counts as processed (and its offset is committed) only if that
 * transaction commits. It holds no data of its own, so it votes OK at prepare and has nothing to recover.
 *
 * <p>One instance per delivery; the worker reads the outcome after {@code onRecord} has returned, by which time a
 * container-managed transaction has completed.
 */
final class DeliveryTransaction implements XAResource {

    private volatile boolean committed;

    boolean committed() {
        return committed;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) {
        committed = true;
    }

    @Override
    public void rollback(Xid xid) {
        committed = false;
    }

    @Override
    public int prepare(Xid xid) {
        return XA_OK;
    }

    @Override
    public void start(Xid xid, int flags) {
    }

    @Override
    public void end(Xid xid, int flags) {
    }

    @Override
    public void forget(Xid xid) {
    }

    @Override
    public Xid[] recover(int flag) {
        return new Xid[0];
    }

    /** Never the same resource manager as another: each delivery's outcome is its own. */
    @Override
    public boolean isSameRM(XAResource other) {
        return other == this;
    }

    @Override
    public int getTransactionTimeout() {
        return 0;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) {
        return false;
    }
}
