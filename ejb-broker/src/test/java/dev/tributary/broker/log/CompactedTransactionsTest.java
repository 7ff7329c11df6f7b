package dev.tributary.broker.log;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.tributary.broker.log.TestRecords.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compaction of a log written with transactions: aborted records never count and are removed, open transactions and
 * what follows them are left alone, markers go once nothing of their transaction is left and their delete horizon
 * passed, and what read_committed readers see is exactly the committed latest value of each key, also after a
 * restart.
 */
class CompactedTransactionsTest extends CompactedLogTest {

    private static final long P1 = 1000;
    private static final long P2 = 2000;
    private static final short EPOCH = 0;
    private static final long DELETE_RETENTION_MS = 60_000;

    /** The latest committed record of each key: what read_committed readers must see after cleaning. */
    private final Map<String, TestRecords.ReadRecord> committed = new HashMap<>();
    private final Map<Long, List<TestRecords.ReadRecord>> open = new HashMap<>();
    private final Map<Long, Integer> sequences = new HashMap<>();

    private void openLog() {
        openCompacted(Map.of("delete.retention.ms", Long.toString(DELETE_RETENTION_MS)));
    }

    /** A plain record, committed at once. */
    private void putCommitted(String key, String value) {
        TestRecords.ReadRecord record = put(key, value);
        committed.put(key, new TestRecords.ReadRecord(record.offset(), record.timestamp(), key, value, List.of()));
    }

    /** One transactional batch of {@code producerId} with one record. */
    private void putInTransaction(long producerId, String key, String value) {
        int sequence = sequences.merge(producerId, 1, Integer::sum) - 1;
        long timestamp = clock.millis();
        LogAppendInfo info = log.append(MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, EPOCH,
                sequence, new SimpleRecord(timestamp, bytes(key), bytes(value))));
        open.computeIfAbsent(producerId, p -> new ArrayList<>())
                .add(new TestRecords.ReadRecord(info.firstOffset(), timestamp, key, value, List.of()));
    }

    private void end(long producerId, ControlRecordType type) {
        log.appendTransactionMarker(producerId, EPOCH, 0, type);
        List<TestRecords.ReadRecord> records = open.remove(producerId);
        if (type == ControlRecordType.COMMIT && records != null) // the latest offset of a key wins, as in the log
            records.forEach(r -> committed.merge(r.key(), r, (a, b) -> a.offset() > b.offset() ? a : b));
    }

    private List<TestRecords.ReadRecord> committedLatest() {
        return committed.values().stream().sorted(Comparator.comparingLong(TestRecords.ReadRecord::offset)).toList();
    }

    private List<TestRecords.ReadRecord> readCommitted() {
        return TestRecords.readCommitted(log).stream()
                .map(r -> new TestRecords.ReadRecord(r.offset(), r.timestamp(), r.key(), r.value(), List.of()))
                .toList();
    }

    private static List<TestRecords.ReadRecord> latestOfEachKey(List<TestRecords.ReadRecord> records) {
        Map<String, TestRecords.ReadRecord> latest = new HashMap<>();
        records.forEach(r -> latest.put(r.key(), r));
        return latest.values().stream().sorted(Comparator.comparingLong(TestRecords.ReadRecord::offset)).toList();
    }

    private long batchesWhere(java.util.function.Predicate<RecordBatch> which) {
        long n = 0;
        for (LogSegment segment : log.local().segments()) {
            for (RecordBatch batch : segment.records().batches()) {
                if (which.test(batch))
                    n++;
            }
        }
        return n;
    }

    private long markers() {
        return batchesWhere(b -> b.isControlBatch() && b.countOrNull() > 0);
    }

    private List<AbortedTxn> indexedAborts() {
        List<AbortedTxn> all = new ArrayList<>();
        for (LogSegment segment : log.local().segments())
            all.addAll(segment.txnIndex().all());
        return all;
    }

    @Test
    void anAbortedRecordNeverShadowsTheCommittedValueOfItsKey() throws IOException {
        openLog();
        putCommitted("k", "committed");
        putInTransaction(P1, "k", "aborted");
        end(P1, ControlRecordType.ABORT);
        putCommitted("other", "x");
        roll();

        assertTrue(cleaner().cleanOnce());

        assertEquals(committedLatest(), readCommitted(), "the committed value of k stays");
        assertFalse(TestRecords.readAll(log).stream().anyMatch(r -> "aborted".equals(r.value())),
                "the aborted record is removed: read_uncommitted readers no longer see it either");
        assertEquals(1, markers(), "the abort marker stays while its delete horizon has not passed");
    }

    @Test
    void anOpenTransactionAndEverythingAfterItStayAsWritten() throws IOException {
        openLog();
        putCommitted("k", "v1");
        putCommitted("j", "v1");
        roll();
        putInTransaction(P1, "k", "in-transaction");
        putCommitted("k", "v2");
        putCommitted("j", "v2");
        roll();
        putCommitted("k", "v3");
        roll();
        long lso = log.lastStableOffset();
        assertEquals(2, lso, "P1's transaction is open from offset 2");
        List<TestRecords.ReadRecord> fromLso = TestRecords.readFrom(log, lso, 4096);

        cleaner().cleanOnce();

        assertEquals(fromLso, TestRecords.readFrom(log, lso, 4096), "nothing at or above the LSO was cleaned");
        assertTrue(cleaner.status(log).orElseThrow().firstDirtyOffset() <= lso);

        end(P1, ControlRecordType.COMMIT);
        roll();
        assertTrue(cleaner.cleanOnce());
        assertEquals(committedLatest(), readCommitted(), "once committed, the transaction is compacted like the rest");
        assertEquals(List.of("j", "k"), TestRecords.readAll(log).stream().filter(r -> r.value() != null
                && r.value().startsWith("v")).map(TestRecords.ReadRecord::key).sorted().toList());
    }

    @Test
    void readCommittedSeesExactlyTheCommittedLatestValuesAfterCleaningAndAfterARestart() throws IOException {
        openLog();
        for (int round = 0; round < 6; round++) {
            for (int k = 0; k < 4; k++) {
                putCommitted("key-" + k, "plain-" + round);
                putInTransaction(P1, "key-" + k, "p1-" + round);
                putInTransaction(P2, "key-" + (k + 1), "p2-" + round);
            }
            end(P1, round % 2 == 0 ? ControlRecordType.ABORT : ControlRecordType.COMMIT);
            end(P2, round % 3 == 0 ? ControlRecordType.COMMIT : ControlRecordType.ABORT);
        }
        roll();
        assertTrue(log.segmentCount() > 4, "transactions span segments");
        assertEquals(committedLatest(), latestOfEachKey(readCommitted()), "before cleaning, as a model check");

        assertTrue(cleaner().cleanOnce());
        assertEquals(committedLatest(), readCommitted());
        assertEquals(0, batchesWhere(b -> b.isTransactional() && !b.isControlBatch() && b.countOrNull() > 0
                && readCommitted().stream().noneMatch(r -> r.offset() >= b.baseOffset() && r.offset() <= b.lastOffset())),
                "every transactional record left is a committed latest value");

        putInTransaction(P2, "key-9", "open");
        long lso = log.lastStableOffset();
        log.close();
        openLog();
        assertEquals(lso, log.lastStableOffset(), "a clean restart rebuilds the same LSO");
        assertEquals(committedLatest(), readCommitted());

        log = null; // a crash (no clean shutdown), and no producer snapshot: the state is replayed from the batches
        try (var files = java.nio.file.Files.list(dir())) {
            for (var file : files.filter(f -> f.toString().endsWith(LogFiles.SNAPSHOT_SUFFIX)).toList())
                java.nio.file.Files.delete(file);
        }
        openLog();
        assertEquals(lso, log.lastStableOffset(), "after a crash too");
        assertEquals(committedLatest(), readCommitted());
        end(P2, ControlRecordType.COMMIT);
        assertEquals(committedLatest(), readCommitted());
    }

    @Test
    void markersGoOnceTheirTransactionIsGoneAndTheirDeleteHorizonPassed() throws IOException {
        openLog();
        putInTransaction(P1, "k", "aborted");
        end(P1, ControlRecordType.ABORT);
        putInTransaction(P2, "j", "replaced");
        end(P2, ControlRecordType.COMMIT);
        // Later transactions whose records stay: their batches, not the first ones, are the producers' last.
        putInTransaction(P1, "x", "p1-later");
        end(P1, ControlRecordType.COMMIT);
        putInTransaction(P2, "y", "p2-later");
        end(P2, ControlRecordType.COMMIT);
        putCommitted("j", "latest");
        putCommitted("k", "latest");
        roll();
        assertEquals(4, markers());

        assertTrue(cleaner().cleanOnce());
        assertEquals(4, markers(), "this cleaning read batches of every transaction: their markers stay");
        assertEquals(1, indexedAborts().size(), "the compacted segment's index names the abort");

        putCommitted("k", "later");
        roll();
        assertTrue(cleaner.cleanOnce());
        assertEquals(4, markers(), "nothing left of the first two transactions: their markers get a delete horizon");
        assertEquals(List.of(), indexedAborts(), "no abort entry without records of the transaction left");

        clock.advance(DELETE_RETENTION_MS);
        assertTrue(cleaner.cleanOnce(), "the markers' horizon makes the log due although nothing is dirty");
        assertEquals(2, markers(), "the markers of the transactions whose records stay are kept");
        assertEquals(committedLatest(), readCommitted());
    }

    @Test
    void aTransactionalProducersLastDataBatchStaysEmptiedAfterItsMarkerSoItsSequenceSurvives() throws IOException {
        openLog();
        putInTransaction(P1, "k", "first");
        putInTransaction(P1, "k", "second");
        end(P1, ControlRecordType.COMMIT);
        putCommitted("k", "plain");
        roll();

        assertTrue(cleaner().cleanOnce());

        assertEquals(committedLatest(), readCommitted());
        assertEquals(1, batchesWhere(b -> !b.isControlBatch() && b.hasProducerId() && b.producerId() == P1),
                "P1's last data batch stays, emptied: it carries its last sequence");
        assertEquals(1, batchesWhere(b -> !b.isControlBatch() && b.hasProducerId() && b.producerId() == P1
                && b.baseSequence() == 1 && b.countOrNull() == 0));
    }
}
