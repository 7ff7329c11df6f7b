package dev.tributary.broker.log;

import static dev.tributary.broker.log.CorruptDataTest.SMALL_SEGMENTS;
import static dev.tributary.broker.log.CorruptDataTest.batchInAnOldSegment;
import static dev.tributary.broker.log.CorruptDataTest.readVerifiedAll;
import static dev.tributary.broker.log.CorruptDataTest.segmentFiles;
import static dev.tributary.broker.log.CorruptDataTest.writeBatchesAndClose;
import static dev.tributary.broker.log.TestRecords.BatchLocation;
import static dev.tributary.broker.log.TestRecords.batchLocations;
import static dev.tributary.broker.log.TestRecords.flipBytes;
import static dev.tributary.broker.log.TestRecords.overwrite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.metrics.BrokerMetrics;
import dev.tributary.broker.metrics.LogIntegrity;
import dev.tributary.broker.testing.Conditions;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogScrubberTest extends OneLogTest {

    private static final ScrubberConfig FAST = new ScrubberConfig(true, Long.MAX_VALUE, 60_000);

    /** Where the logs opened here and the scrubber count, as in a broker. */
    private final BrokerMetrics metrics = new BrokerMetrics();
    private final LogIntegrity integrity = metrics.logIntegrity();
    private LogScrubber scrubber;

    @AfterEach
    void closeScrubber() {
        if (scrubber != null)
            scrubber.close();
    }

    private LogScrubber scrubber(ScrubberConfig config, PartitionLog log) {
        scrubber = new LogScrubber(config, () -> List.of(log), integrity, Clock.systemUTC());
        return scrubber;
    }

    private PartitionLog writtenAndReopened() {
        writeBatchesAndClose(open(SMALL_SEGMENTS, true), clock);
        return reopen();
    }

    private PartitionLog reopen() {
        log = PartitionLog.open(dir(), TP, LogConfig.fromMap(SMALL_SEGMENTS), clock, metrics, true);
        return log;
    }

    @Test
    void aPassFindsAFlippedBatchInAnOldSegmentAndTellsTheListenerOnce() throws Exception {
        writeBatchesAndClose(open(SMALL_SEGMENTS, true), clock);
        BatchLocation damaged = batchInAnOldSegment(dir());
        flipBytes(segmentFiles(dir()).get(2), damaged.position() + 70, 16);
        PartitionLog log = reopen();
        List<CorruptBatch> heard = new CopyOnWriteArrayList<>();
        log.setCorruptionListener((partition, damage) -> heard.add(damage));

        scrubber(FAST, log).scrubAll();
        scrubber.scrubAll();

        CorruptBatch damage = log.corruption().orElseThrow();
        assertEquals("the log scrubber", damage.foundBy());
        assertEquals(damaged.baseOffset(), damage.offset());
        assertEquals(damaged.position(), damage.position());
        assertTrue(damage.problem().contains("crc"), damage::problem);
        assertEquals(List.of(damage), heard);
        assertEquals(1, integrity.corruptBatches());
        assertEquals(3, integrity.scrubbedSegments(), "up to the damaged one; the second pass leaves the log alone");
        assertEquals(2, integrity.completedPasses());
        assertThrows(LogCorruptionException.class, () -> log.read(0, 100));
    }

    @Test
    void theBackgroundScrubberFindsDamageThatAppearsWithinItsInterval() throws Exception {
        PartitionLog log = writtenAndReopened();
        scrubber(new ScrubberConfig(true, Long.MAX_VALUE, 200), log).start();
        Conditions.await("a first pass", () -> integrity.completedPasses() >= 1);
        assertTrue(log.corruption().isEmpty());

        BatchLocation damaged = batchInAnOldSegment(dir());
        long passesBefore = integrity.completedPasses();
        flipBytes(segmentFiles(dir()).get(2), damaged.position() + 70, 16); // under the running broker's feet
        Conditions.await("the scrubber finds the damage", () -> log.corruption().isPresent());
        assertTrue(integrity.completedPasses() <= passesBefore + 2,
                "found by the pass that started next: " + passesBefore + " passes before, "
                        + integrity.completedPasses() + " now");
        assertEquals(damaged.baseOffset(), log.corruption().orElseThrow().offset());
    }

    @Test
    void aSoundLogIsReadWholeAndLeftAsItWas() throws Exception {
        PartitionLog log = writtenAndReopened();
        List<TestRecords.ReadRecord> before = TestRecords.readAll(log);
        scrubber(FAST, log).scrubAll();

        assertTrue(log.corruption().isEmpty());
        long sealedBytes = log.sealedSegments().stream().mapToLong(LogSegment::size).sum();
        assertEquals(sealedBytes, integrity.scrubbedBytes());
        assertEquals(log.sealedSegments().size(), integrity.scrubbedSegments());
        assertEquals(0, integrity.rebuiltIndexes());
        assertEquals(before, TestRecords.readAll(log));
    }

    @Test
    void anOffsetIndexEntryPointingIntoABatchIsRebuiltFromTheData() throws Exception {
        writeBatchesAndClose(open(SMALL_SEGMENTS, true), clock);
        Path segment = segmentFiles(dir()).get(2);
        long base = batchLocations(segment).get(0).baseOffset();
        Path index = LogFiles.offsetIndexFile(dir(), base);
        BatchLocation third = batchLocations(segment).get(2); // index entry 1 (the first batch has none)
        overwrite(index, 8 + 4, ByteBuffer.allocate(4).putInt(0, third.position() + 1).array());
        PartitionLog log = reopen();

        scrubber(FAST, log).scrubAll();

        assertTrue(log.corruption().isEmpty(), "the data is sound");
        assertEquals(1, integrity.rebuiltIndexes());
        assertEquals(new OffsetPosition(third.lastOffset(), third.position()),
                log.sealedSegments().get(2).offsetIndex().entry(1));
        assertEquals(90, readVerifiedAll(log).size());
    }

    @Test
    void aTimeIndexEntryNamingNoBatchIsRebuiltFromTheData() throws Exception {
        writeBatchesAndClose(open(SMALL_SEGMENTS, true), clock);
        Path segment = segmentFiles(dir()).get(2);
        long base = batchLocations(segment).get(0).baseOffset();
        BatchLocation third = batchLocations(segment).get(2);
        Path timeIndex = LogFiles.timeIndexFile(dir(), base);
        int inTheMiddleOfTheThird = (int) (third.lastOffset() - 1 - base);
        overwrite(timeIndex, 12 + 8, ByteBuffer.allocate(4).putInt(0, inTheMiddleOfTheThird).array());
        PartitionLog log = reopen();

        scrubber(FAST, log).scrubAll();

        assertTrue(log.corruption().isEmpty());
        assertEquals(1, integrity.rebuiltIndexes());
        assertEquals(third.lastOffset(), log.sealedSegments().get(2).timeIndex().entry(1).offset());
    }

    @Test
    void aPassKeepsToItsRate() throws Exception {
        PartitionLog log = writtenAndReopened();
        long sealedBytes = log.sealedSegments().stream().mapToLong(LogSegment::size).sum();
        long rate = sealedBytes; // a second for the lot, less the 100 ms burst
        long started = System.nanoTime();
        scrubber(new ScrubberConfig(true, rate, 60_000), log).scrubAll();
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMs >= 800, "read " + sealedBytes + " bytes at " + rate + " bytes/s in " + tookMs + " ms");
    }

    @Test
    void aDisabledScrubberStartsNoPasses() {
        PartitionLog log = writtenAndReopened();
        LogScrubber disabled = scrubber(new ScrubberConfig(false, Long.MAX_VALUE, 1), log);
        disabled.start();
        assertFalse(disabled.running());
        LogScrubber enabled = new LogScrubber(FAST, () -> List.of(log), integrity, Clock.systemUTC());
        try {
            enabled.start();
            assertTrue(enabled.running());
        } finally {
            enabled.close();
        }
        assertFalse(enabled.running(), "closing stops it");
    }
}
