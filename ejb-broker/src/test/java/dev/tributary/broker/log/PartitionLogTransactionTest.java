package dev.tributary.broker.log;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.TransactionCoordinatorFencedException;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tributary.broker.log.TestRecords.batch;
import static dev.tributary.broker.log.TestRecords.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transactions in one partition log: open transactions hold the last stable offset back, markers end them, aborts
 * land in the transaction index, read_committed reads stop at the LSO and name the aborted transactions, and all of
 * it survives a restart, a crash (the transaction index rebuilt) and a truncation.
 */
class PartitionLogTransactionTest extends OneLogTest {

    private static final long P1 = 1000;
    private static final long P2 = 2000;
    private static final short EPOCH = 3;

    private static MemoryRecords txn(long producerId, int firstSeq, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++)
            records[i] = new SimpleRecord(1_000L, null, bytes(values[i]));
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, EPOCH, firstSeq, records);
    }

    private PartitionLog open() {
        return open(Map.of(), true);
    }

    /** The values a read_committed consumer reads (see {@link TestRecords#readCommitted}). */
    private List<String> readCommitted() {
        return TestRecords.readCommitted(log).stream().map(TestRecords.ReadRecord::value).toList();
    }

    @Test
    void anOpenTransactionHoldsTheLastStableOffsetUntilItsMarker() {
        open();
        log.append(batch(1_000L, "plain"));
        log.append(txn(P1, 0, "t1", "t2"));
        log.append(batch(1_000L, "after"));
        assertEquals(4, log.highWatermark());
        assertEquals(1, log.lastStableOffset());
        assertEquals(List.of("plain"), readCommitted());
        assertEquals(0, log.read(1, 1 << 20, FetchIsolation.TXN_COMMITTED).records().sizeInBytes(),
                "a read_committed read at the LSO returns nothing");

        LogAppendInfo marker = log.appendTransactionMarker(P1, EPOCH, 0, ControlRecordType.COMMIT);
        assertEquals(4, marker.firstOffset());
        assertEquals(5, log.lastStableOffset());
        assertEquals(List.of("plain", "t1", "t2", "after"), readCommitted());
        assertTrue(log.read(0, 1 << 20, FetchIsolation.TXN_COMMITTED).abortedTransactions().isEmpty());
    }

    @Test
    void anAbortIsIndexedAndItsRecordsAreDroppedByReadCommittedReaders() throws IOException {
        open();
        log.append(txn(P1, 0, "a1"));
        log.append(txn(P2, 0, "b1"));
        log.append(txn(P1, 1, "a2"));
        log.appendTransactionMarker(P1, EPOCH, 0, ControlRecordType.ABORT); // offset 3
        assertEquals(1, log.lastStableOffset(), "P2's transaction from offset 1 is still open");
        log.appendTransactionMarker(P2, EPOCH, 0, ControlRecordType.COMMIT); // offset 4

        assertEquals(5, log.lastStableOffset());
        List<AbortedTxn> aborted = log.read(0, 1 << 20, FetchIsolation.TXN_COMMITTED).abortedTransactions();
        assertEquals(List.of(new AbortedTxn(P1, 0, 3, 1)), aborted, "the LSO after the abort was P2's first offset");
        assertEquals(List.of("b1"), readCommitted());
        assertEquals(AbortedTxn.SIZE, Files.size(LogFiles.txnIndexFile(dir(), 0)));
        assertTrue(TestRecords.readAll(log).stream().map(TestRecords.ReadRecord::value).toList()
                .containsAll(List.of("a1", "b1", "a2")), "read_uncommitted readers still get every data record");
    }

    @Test
    void transactionsAndTheirAbortsSurviveACleanRestart() {
        open();
        log.append(txn(P1, 0, "a1"));
        log.appendTransactionMarker(P1, EPOCH, 0, ControlRecordType.ABORT);
        log.append(txn(P2, 0, "b1"));
        log.close();

        open();
        assertEquals(2, log.lastStableOffset(), "P2's transaction is still open after the restart");
        log.appendTransactionMarker(P2, EPOCH, 0, ControlRecordType.COMMIT);
        assertEquals(List.of("b1"), readCommitted());
        assertEquals(1, log.activeProducers().stream().filter(p -> p.producerId() == P1).count());
    }

    @Test
    void aCrashRebuildsTheTransactionIndexFromTheBatches() throws IOException {
        open(Map.of(LogConfig.SEGMENT_BYTES, "200"), true); // a few batches per segment
        log.append(txn(P1, 0, "a1"));
        for (int i = 0; i < 4; i++)
            log.append(batch(1_000L, "plain-" + i));
        log.append(txn(P2, 0, "b1"));
        log.append(txn(P1, 1, "a2"));
        log.appendTransactionMarker(P1, EPOCH, 0, ControlRecordType.ABORT);
        assertTrue(log.segmentCount() > 1, "the transaction spans segments");
        long markerOffset = log.logEndOffset() - 1;
        List<String> expected = readCommitted();
        log = null; // crash: abandoned open, no clean-shutdown marker
        List<Path> indexes;
        try (var files = Files.list(dir())) {
            indexes = files.filter(f -> f.toString().endsWith(LogFiles.TXN_INDEX_SUFFIX)).toList();
        }
        assertEquals(1, indexes.size(), "only the segment holding the abort marker has a transaction index");
        Files.delete(indexes.get(0));

        open(Map.of(LogConfig.SEGMENT_BYTES, "200"), true);
        assertEquals(5, log.lastStableOffset(), "P2's transaction, open before the crash, still is");
        List<AbortedTxn> aborted = log.read(0, 1 << 20, FetchIsolation.TXN_COMMITTED).abortedTransactions();
        assertEquals(List.of(new AbortedTxn(P1, 0, markerOffset, 5)), aborted);
        log.appendTransactionMarker(P2, EPOCH, 0, ControlRecordType.COMMIT);
        List<String> after = new ArrayList<>(expected);
        after.add("b1");
        assertEquals(after.stream().sorted().toList(), readCommitted().stream().sorted().toList());
        assertFalse(readCommitted().contains("a1"));
        assertFalse(readCommitted().contains("a2"));
    }

    @Test
    void staleMarkersAndPlainBatchesInsideATransactionAreRefused() {
        open();
        log.append(txn(P1, 0, "a1"));
        assertThrows(InvalidTxnStateException.class, () -> log.append(TestRecords.idempotentBatch(P1, EPOCH, 1,
                1_000L, "plain")));
        assertThrows(InvalidProducerEpochException.class,
                () -> log.appendTransactionMarker(P1, (short) (EPOCH - 1), 0, ControlRecordType.ABORT));
        log.appendTransactionMarker(P1, EPOCH, 5, ControlRecordType.COMMIT);
        assertThrows(TransactionCoordinatorFencedException.class,
                () -> log.appendTransactionMarker(P1, EPOCH, 4, ControlRecordType.ABORT));
        assertEquals(2, log.logEndOffset(), "nothing refused was written");
    }

    @Test
    void truncatingBelowAMarkerReopensItsTransaction() throws IOException {
        open(Map.of(), false);
        log.append(txn(P1, 0, "a1"));
        log.appendTransactionMarker(P1, EPOCH, 0, ControlRecordType.ABORT);
        log.updateHighWatermark(2);
        assertEquals(2, log.lastStableOffset());

        log.truncateTo(1);
        assertEquals(0, log.lastStableOffset(), "without its marker the transaction is open again");
        assertEquals(0, log.read(0, 1 << 20, FetchIsolation.TXN_COMMITTED).records().sizeInBytes());
        assertEquals(0, Files.size(LogFiles.txnIndexFile(dir(), 0)), "the abort entry went with its marker");
    }

    @Test
    void aMarkerAboveTheHighWatermarkKeepsItsTransactionUndecided() {
        open(Map.of(), false);
        log.append(txn(P1, 0, "a1"));
        log.appendTransactionMarker(P1, EPOCH, 0, ControlRecordType.COMMIT);
        log.updateHighWatermark(1);
        assertEquals(0, log.lastStableOffset(), "a new leader might not have the marker yet");
        log.updateHighWatermark(2);
        assertEquals(2, log.lastStableOffset());
    }

    @Test
    void producersWithAnOpenTransactionDoNotExpire() {
        open();
        log.append(txn(P1, 0, "a1"));
        log.append(TestRecords.idempotentBatch(P2, (short) 0, 0, 1_000L, "idle"));
        clock.advance(10_000);
        assertEquals(1, log.removeExpiredProducers(clock.millis(), 1_000));
        assertEquals(List.of(P1), log.activeProducers().stream().map(ActiveProducer::producerId).toList());
        assertEquals(0, log.activeProducers().get(0).currentTxnStartOffset());
    }

    @Test
    void aFollowerReplicatesMarkersIntoItsOwnTransactionIndex() throws IOException {
        open();
        log.append(txn(P1, 0, "a1"));
        log.appendTransactionMarker(P1, EPOCH, 0, ControlRecordType.ABORT);
        MemoryRecords replicated = TestRecords.replicate(log, 0);

        Path followerDir = tmp.resolve("orders-0-follower");
        PartitionLog follower = PartitionLog.open(followerDir, TP, LogConfig.fromMap(Map.of()), clock);
        try {
            follower.appendAsFollower(replicated);
            assertEquals(List.of(new AbortedTxn(P1, 0, 1, 2)),
                    follower.read(0, 1 << 20, FetchIsolation.TXN_COMMITTED).abortedTransactions());
        } finally {
            follower.close();
        }
    }
}
