package dev.tributary.broker.log;

import static dev.tributary.broker.log.TestRecords.BatchLocation;
import static dev.tributary.broker.log.TestRecords.ReadRecord;
import static dev.tributary.broker.log.TestRecords.batch;
import static dev.tributary.broker.log.TestRecords.batchLocations;
import static dev.tributary.broker.log.TestRecords.flipBytes;
import static dev.tributary.broker.log.TestRecords.readAll;
import static dev.tributary.broker.log.TestRecords.toReadRecord;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.metrics.LogIntegrity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

/**
 * Data that goes bad on disk after it was written, below the recovery point, found after a clean restart (which
 * trusts the data and checks nothing): a read that decodes records refuses it, the log stays out of service until
 * it is truncated to its last good batch.
 */
class CorruptDataTest extends OneLogTest {

    /** About five batches per segment, an offset-index entry per batch. */
    static final Map<String, String> SMALL_SEGMENTS = Map.of("segment.bytes", "1024", "index.interval.bytes", "0");
    static final int BATCHES = 30;
    static final int RECORDS_PER_BATCH = 3;

    /** Appends {@link #BATCHES} batches of three records and closes the log cleanly. */
    static void writeBatchesAndClose(PartitionLog log, ManualClock clock) {
        for (int i = 0; i < BATCHES; i++) {
            clock.advance(1);
            log.append(batch(clock.millis(), "b" + i + "r0", "b" + i + "r1", "b" + i + "r2"));
        }
        log.close();
    }

    /** The data files of the log's segments, oldest first. */
    static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(LogFiles.LOG_SUFFIX)).sorted().toList();
        }
    }

    /** A batch in the middle of the third segment, with sealed segments before and after it. */
    static BatchLocation batchInAnOldSegment(Path dir) throws IOException {
        List<Path> segments = segmentFiles(dir);
        assertTrue(segments.size() >= 5, "segments: " + segments);
        List<BatchLocation> batches = batchLocations(segments.get(2));
        return batches.get(batches.size() / 2);
    }

    private PartitionLog reopen() {
        return open(SMALL_SEGMENTS, true);
    }

    @Test
    void aDecodingReadRefusesAFlippedBatchAndTheReplicaServesNothingUntilTruncated() throws IOException {
        writeBatchesAndClose(open(SMALL_SEGMENTS, true), clock);
        BatchLocation damaged = batchInAnOldSegment(dir());
        Path segment = segmentFiles(dir()).get(2);
        flipBytes(segment, damaged.position() + 70, 16);
        long segmentBase = batchLocations(segment).get(0).baseOffset();

        PartitionLog log = reopen();
        assertTrue(log.recoveryInfo().cleanShutdown(), "a clean restart trusts the data and checks nothing");
        assertTrue(log.read(damaged.baseOffset(), 1 << 20).records().sizeInBytes() > 0,
                "undetected, a zero-copy fetch sends the bytes as they are, for the client to check, as Kafka does");

        try (LogCapture logged = new LogCapture(LogDamage.class)) {
            LogCorruptionException refused = assertThrows(LogCorruptionException.class,
                    () -> log.readVerified(segmentBase, 1 << 20));
            assertTrue(refused.getMessage().contains("Partition " + TP) && refused.getMessage()
                    .contains("offset " + damaged.baseOffset()), refused::getMessage);
            assertEquals(damaged.baseOffset(), refused.offset());
            for (int i = 0; i < 3; i++)
                assertThrows(LogCorruptionException.class, () -> log.readVerified(0, 1 << 20),
                        "the replica serves nothing, also below the damage");
            assertEquals(1, logged.messagesAt(Level.SEVERE).size(), "logged once: " + logged.messagesAt(Level.SEVERE));
        }
        CorruptBatch damage = log.corruption().orElseThrow();
        assertEquals(segment, damage.segmentFile());
        assertEquals(damaged.position(), damage.position());
        assertEquals("a read that decodes records", damage.foundBy());
        assertThrows(LogCorruptionException.class, () -> log.read(0, 1 << 20), "nor does a zero-copy fetch");
        assertThrows(LogCorruptionException.class, () -> log.append(batch(clock.millis(), "x")));

        LastGoodTruncation done = log.truncateToLastGood().orElseThrow();
        long total = (long) BATCHES * RECORDS_PER_BATCH;
        assertEquals(total, done.logEndOffsetBefore());
        assertEquals(damaged.baseOffset(), done.logEndOffset());
        assertEquals(total - damaged.baseOffset(), done.recordsDropped());
        assertTrue(log.corruption().isEmpty());
        assertEquals(damaged.position(), Files.size(segment), "cut where the damaged batch started");

        List<ReadRecord> kept = readAll(log);
        assertEquals(damaged.baseOffset(), kept.size());
        assertEquals("b0r0", kept.get(0).value());
        assertEquals(kept, readVerifiedAll(log));
        assertEquals(damaged.baseOffset(), log.append(batch(clock.millis(), "after")).firstOffset(),
                "appends continue at the cut");
        assertTrue(log.truncateToLastGood().isEmpty(), "nothing left to truncate");
    }

    @Test
    void aDamagedLengthFieldStopsTheHeaderWalkAndIsCutByPosition() throws IOException {
        writeBatchesAndClose(open(SMALL_SEGMENTS, true), clock);
        BatchLocation damaged = batchInAnOldSegment(dir());
        Path segment = segmentFiles(dir()).get(2);
        flipBytes(segment, damaged.position() + 8, 2); // the length field: huge or negative
        PartitionLog log = reopen();

        LogCorruptionException refused = assertThrows(LogCorruptionException.class,
                () -> log.readVerified(damaged.baseOffset(), 1 << 20));
        assertTrue(refused.getMessage().contains("Partition " + TP), refused::getMessage);

        LastGoodTruncation done = log.truncateToLastGood().orElseThrow();
        assertEquals(damaged.baseOffset(), done.logEndOffset());
        assertEquals(damaged.position(), Files.size(segment));
        assertEquals(damaged.baseOffset(), readVerifiedAll(log).size());
    }

    @Test
    void damageBelowTheLogStartEmptiesTheLogAtItsStartWithoutGivingOutOffsetsTwice() throws Exception {
        PartitionLog written = open(SMALL_SEGMENTS, true);
        writeBatchesAndClose(written, clock);
        BatchLocation damaged = batchInAnOldSegment(dir());
        flipBytes(segmentFiles(dir()).get(2), damaged.position() + 70, 16);
        PartitionLog log = reopen();
        long start = batchLocations(segmentFiles(dir()).get(4)).get(0).baseOffset();
        log.advanceLogStartOffset(start);
        new LogScrubber(new ScrubberConfig(true, Long.MAX_VALUE, 60_000), () -> List.of(log), new LogIntegrity(),
                clock).scrubAll();
        assertTrue(log.corruption().isPresent(), "the scrubber checks every sealed segment");

        LastGoodTruncation done = log.truncateToLastGood().orElseThrow();
        assertEquals(start, done.logEndOffset());
        assertEquals(start, log.logStartOffset());
        assertEquals(start, log.append(batch(clock.millis(), "next")).firstOffset());
    }

    @Test
    void aFindingOnBytesThatATruncationRewroteMeanwhileIsDropped() throws IOException {
        writeBatchesAndClose(open(SMALL_SEGMENTS, true), clock);
        PartitionLog log = reopen();
        LogSegment segment = log.sealedSegments().get(2);
        long truncationsBefore = log.truncations();
        log.truncateTo(log.logEndOffset() - 1);
        CorruptBatch found = log.damage().found(segment, new RecordBatchScanner.Damage(0, "test", "unknown", false),
                segment.baseOffset(), "a test");
        assertFalse(log.damage().recordIfUnchanged(segment, truncationsBefore, found));
        assertTrue(log.corruption().isEmpty());
        assertTrue(log.damage().recordIfUnchanged(segment, log.truncations(), found));
        assertTrue(log.corruption().isPresent());
    }

    @Test
    void checkedReadsOfSoundDataReturnWhatPlainReadsReturn() {
        PartitionLog log = open(SMALL_SEGMENTS, true);
        for (int i = 0; i < BATCHES; i++)
            log.append(batch(clock.millis(), "b" + i + "r0", "b" + i + "r1", "b" + i + "r2"));
        assertEquals(readAll(log), readVerifiedAll(log));
        FetchDataInfo small = log.readVerified(4, 1);
        List<RecordBatch> batches = new ArrayList<>();
        small.records().batches().forEach(batches::add);
        assertEquals(1, batches.size(), "a checked read returns complete batches only, at least the first");
        assertTrue(batches.get(0).baseOffset() <= 4 && batches.get(0).lastOffset() >= 4);
    }

    /** Every record, read through {@link PartitionLog#readVerified} in small steps. */
    static List<ReadRecord> readVerifiedAll(PartitionLog log) {
        List<ReadRecord> out = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.highWatermark()) {
            long before = next;
            for (RecordBatch batch : log.readVerified(next, 300).records().batches()) {
                for (Record record : batch) {
                    if (record.offset() >= next)
                        out.add(toReadRecord(record));
                }
                next = Math.max(next, batch.nextOffset());
            }
            if (next == before)
                throw new AssertionError("readVerified(" + next + ") returned no complete batch");
        }
        return out;
    }
}
