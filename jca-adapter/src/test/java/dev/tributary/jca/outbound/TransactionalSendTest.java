package dev.tributary.jca.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.jca.FakeInVmBroker;
import dev.tributary.jca.TributaryResourceAdapter;
import dev.tributary.jca.api.OutgoingRecord;
import dev.tributary.jca.api.RecordMetadata;
import dev.tributary.jca.api.TributaryConnection;
import dev.tributary.jca.spi.InVmBrokers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Managed connections driven as a transaction manager drives them (XA and local), against an in-memory broker. */
class TransactionalSendTest {

    private final FakeInVmBroker broker = new FakeInVmBroker().topic("orders", 2);
    private TributaryManagedConnectionFactory factory;

    @BeforeEach
    void register() throws Exception {
        InVmBrokers.register(broker);
        factory = new TributaryManagedConnectionFactory();
        factory.setResourceAdapter(new TributaryResourceAdapter());
    }

    @AfterEach
    void unregister() {
        InVmBrokers.unregister(broker);
    }

    @Test
    void outsideATransactionASendIsAppendedAtOnce() {
        TributaryManagedConnection managed = managedConnection();
        try (TributaryConnection connection = handle(managed)) {
            RecordMetadata sent = connection.send("orders", "k", bytes("v"));
            assertEquals(0, sent.offset());
            assertEquals(1, broker.records("orders", 0).size());
        }
    }

    @Test
    void twoPhaseCommitAppendsEverythingOnlyAtCommit() throws Exception {
        TributaryManagedConnection managed = managedConnection();
        XAResource xa = managed.getXAResource();
        Xid xid = xid(1);
        xa.start(xid, XAResource.TMNOFLAGS);
        TributaryConnection connection = handle(managed);
        RecordMetadata pending = connection.send(record("a", 1));
        CompletionStage<RecordMetadata> async = connection.sendAsync(record("b", 0));
        connection.close();
        xa.end(xid, XAResource.TMSUCCESS);

        assertFalse(pending.hasOffset());
        assertEquals(1, pending.partition(), "the partition is known at send time");
        assertEquals(XAResource.XA_OK, xa.prepare(xid));
        assertEquals(List.of(), broker.records("orders", 0), "prepared is not visible");
        assertEquals(1, broker.prepared().size());
        assertEquals(pending.timestamp(), broker.prepared().values().iterator().next().get(0).timestamp()
                .getAsLong(), "the create time is fixed at send time");

        // The TM may commit through another connection's XAResource of the same adapter.
        XAResource other = managedConnection().getXAResource();
        assertTrue(other.isSameRM(xa));
        other.commit(xid, false);

        assertEquals(1, broker.records("orders", 1).size());
        assertEquals(0, async.toCompletableFuture().get(5, TimeUnit.SECONDS).offset());
        assertEquals(List.of(), broker.preparedTransactions());
    }

    @Test
    void rollbackDropsEverythingAndFailsTheAsyncSends() throws Exception {
        TributaryManagedConnection managed = managedConnection();
        XAResource xa = managed.getXAResource();
        Xid xid = xid(2);
        xa.start(xid, XAResource.TMNOFLAGS);
        CompletionStage<RecordMetadata> async;
        try (TributaryConnection connection = handle(managed)) {
            async = connection.sendAsync(record("a", 0));
        }
        xa.end(xid, XAResource.TMSUCCESS);
        xa.rollback(xid);

        assertEquals(List.of(), broker.records("orders", 0));
        assertThrows(ExecutionException.class, () -> async.toCompletableFuture().get(5, TimeUnit.SECONDS));
        try (TributaryConnection connection = handle(managed)) {
            connection.send(record("after", 0));
        }
        assertEquals(1, broker.records("orders", 0).size(), "after the transaction, sends go straight to the log");
    }

    @Test
    void aBrokerWithoutTwoPhaseCommitMakesPrepareVoteRollbackNamingWhy() throws Exception {
        FakeInVmBroker remoteLike = new FakeInVmBroker() {
            @Override
            public synchronized void prepare(String transactionId, List<OutgoingRecord> records) {
                throw new UnsupportedOperationException("Two-phase (XA) commit needs the broker in this JVM");
            }
        }.topic("orders", 2);
        InVmBrokers.unregister(broker);
        InVmBrokers.register(remoteLike);
        try {
            TributaryManagedConnection managed = managedConnection();
            XAResource xa = managed.getXAResource();
            Xid xid = xid(7);
            xa.start(xid, XAResource.TMNOFLAGS);
            TributaryConnection connection = handle(managed);
            CompletionStage<RecordMetadata> async = connection.sendAsync(record("a", 0));
            connection.close();
            xa.end(xid, XAResource.TMSUCCESS);

            XAException refused = assertThrows(XAException.class, () -> xa.prepare(xid));
            assertEquals(XAException.XA_RBOTHER, refused.errorCode, "a rollback vote, not a resource error");
            assertTrue(refused.getMessage().contains("Two-phase (XA) commit needs the broker"));
            assertTrue(async.toCompletableFuture().isCompletedExceptionally());
            assertEquals(List.of(), remoteLike.records("orders", 0));
        } finally {
            InVmBrokers.unregister(remoteLike);
            InVmBrokers.register(broker);
        }
    }

    @Test
    void onePhaseCommitAndReadOnlyPrepare() throws Exception {
        TributaryManagedConnection managed = managedConnection();
        XAResource xa = managed.getXAResource();
        Xid empty = xid(3);
        xa.start(empty, XAResource.TMNOFLAGS);
        xa.end(empty, XAResource.TMSUCCESS);
        assertEquals(XAResource.XA_RDONLY, xa.prepare(empty), "a transaction that sent nothing has nothing to do");

        Xid xid = xid(4);
        xa.start(xid, XAResource.TMNOFLAGS);
        try (TributaryConnection connection = handle(managed)) {
            connection.send(record("a", 0));
            connection.send(record("b", 0));
        }
        xa.end(xid, XAResource.TMSUCCESS);
        xa.commit(xid, true);
        assertEquals(2, broker.records("orders", 0).size());
    }

    @Test
    void anInvalidRecordFailsItsSendAndLeavesNothingToPrepare() throws Exception {
        TributaryManagedConnection managed = managedConnection();
        XAResource xa = managed.getXAResource();
        Xid xid = xid(5);
        xa.start(xid, XAResource.TMNOFLAGS);
        try (TributaryConnection connection = handle(managed)) {
            assertThrows(IllegalArgumentException.class, () -> connection.send(record("a", 7)),
                    "an unknown partition fails the send itself");
        }
        xa.end(xid, XAResource.TMSUCCESS);
        assertEquals(XAResource.XA_RDONLY, xa.prepare(xid));
    }

    @Test
    void recoverListsPreparedXidsSoTheTransactionManagerCanFinishThem() throws Exception {
        TributaryManagedConnection managed = managedConnection();
        XAResource xa = managed.getXAResource();
        Xid xid = xid(6);
        xa.start(xid, XAResource.TMNOFLAGS);
        try (TributaryConnection connection = handle(managed)) {
            connection.send(record("a", 0));
        }
        xa.end(xid, XAResource.TMSUCCESS);
        xa.prepare(xid);
        broker.prepare("local-not-an-xid", List.of(record("x", 0)));

        // After a restart, a fresh XAResource knows nothing but what the broker lists.
        XAResource recovering = managedConnection().getXAResource();
        Xid[] recovered = recovering.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
        assertEquals(1, recovered.length);
        assertEquals(XidCodec.encode(xid), XidCodec.encode(recovered[0]));
        recovering.commit(recovered[0], false);
        assertEquals(1, broker.records("orders", 0).size());

        XAException unknown = assertThrows(XAException.class, () -> recovering.commit(xid(99), false));
        assertEquals(XAException.XAER_RMERR, unknown.errorCode);
    }

    @Test
    void aLocalTransactionAppendsAtCommitOnly() throws Exception {
        TributaryManagedConnection managed = managedConnection();
        managed.getLocalTransaction().begin();
        try (TributaryConnection connection = handle(managed)) {
            connection.send(record("a", 0));
        }
        assertEquals(List.of(), broker.records("orders", 0));
        managed.getLocalTransaction().commit();
        assertEquals(1, broker.records("orders", 0).size());

        managed.getLocalTransaction().begin();
        try (TributaryConnection connection = handle(managed)) {
            connection.send(record("b", 0));
        }
        managed.getLocalTransaction().rollback();
        assertEquals(1, broker.records("orders", 0).size());
    }

    @Test
    void aClosedHandleRefusesToSend() {
        TributaryConnection connection = handle(managedConnection());
        connection.close();
        assertThrows(IllegalStateException.class, () -> connection.send(record("a", 0)));
    }

    private TributaryManagedConnection managedConnection() {
        return (TributaryManagedConnection) factory.createManagedConnection(null, null);
    }

    private static TributaryConnection handle(TributaryManagedConnection managed) {
        return (TributaryConnection) managed.getConnection(null, null);
    }

    private static OutgoingRecord record(String value, int partition) {
        return OutgoingRecord.builder().topic("orders").value(value).partition(partition).build();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Xid xid(int id) {
        return new Xid() {
            @Override
            public int getFormatId() {
                return 4660;
            }

            @Override
            public byte[] getGlobalTransactionId() {
                return new byte[] {(byte) id, 1, 2};
            }

            @Override
            public byte[] getBranchQualifier() {
                return new byte[] {(byte) id};
            }
        };
    }
}
