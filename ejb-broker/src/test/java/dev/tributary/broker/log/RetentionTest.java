package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.tributary.broker.log.TestRecords.readAll;
import static dev.tributary.broker.log.TestRecords.sizedBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetentionTest {
    private static final TopicPartition TP = new TopicPartition("metrics", 0);
    private static final int BATCH = sizedBatch(1L, 1, 100).sizeInBytes();

    @TempDir
    Path tmp;
    private final ManualClock clock = new ManualClock(10_000_000L);
    private PartitionLog log;

    @AfterEach
    void closeLog() {
        if (log != null)
            log.close();
    }

    private Path dir() {
        return tmp.resolve("metrics-0");
    }

    /** Two batches per segment; each batch stamped with the clock, which then advances one second. */
    private void openAndFill(Map<String, String> overrides, int batches) {
        Map<String, String> config = new java.util.HashMap<>(Map.of("segment.bytes", Integer.toString(2 * BATCH)));
        config.putAll(overrides);
        log = PartitionLog.open(dir(), TP, LogConfig.fromMap(config), clock);
        for (int i = 0; i < batches; i++) {
            log.append(sizedBatch(clock.millis(), 1, 100));
            clock.advance(1000);
        }
    }

    private List<String> files(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void deletesSegmentsWhoseNewestRecordIsOlderThanRetentionMs() throws IOException {
        // records at t0, t0+1s, ..., t0+5s in segments [0,1], [2,3], [4,5]; the clock is now t0+6s
        long t0 = clock.millis();
        openAndFill(Map.of("retention.ms", "3500", "file.delete.delay.ms", "0"), 6);
        assertEquals(3, log.segmentCount());
        // segment [0,1] newest record t0+1s is 5s old (> 3.5s); segment [2,3] newest t0+3s is 3s old: kept
        assertEquals(1, log.applyRetention(clock.millis()));
        assertEquals(2, log.logStartOffset());
        assertEquals(2, log.segmentCount());
        assertEquals(List.of("00000000000000000002.log", "00000000000000000004.log"), files(".log"));
        assertEquals(4, readAll(log).size());
        OffsetOutOfRangeException e = assertThrows(OffsetOutOfRangeException.class, () -> log.read(1, 100));
        assertTrue(e.getMessage().contains("log start offset 2"), e.getMessage());
        assertEquals(0, log.applyRetention(clock.millis()), "nothing more is due");
        assertEquals(t0 + 6000, clock.millis());
    }

    @Test
    void expiredActiveSegmentIsRolledThenDeletedAsKafkaDoes() {
        openAndFill(Map.of("retention.ms", "1000", "file.delete.delay.ms", "0"), 5);
        clock.advance(10_000);
        assertEquals(3, log.applyRetention(clock.millis()));
        assertEquals(1, log.segmentCount(), "a new empty active segment");
        assertEquals(5, log.logStartOffset());
        assertEquals(5, log.logEndOffset(), "offsets are never reused");
        assertEquals(0, log.sizeInBytes());
        assertEquals(0, log.read(5, 100).records().sizeInBytes());
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(4, 100));
        assertEquals(5, log.append(sizedBatch(clock.millis(), 1, 100)).firstOffset());
    }

    @Test
    void deletesOldestSegmentsWhileTheRestStaysAtLeastRetentionBytes() {
        openAndFill(Map.of("retention.bytes", Integer.toString(3 * BATCH), "file.delete.delay.ms", "0"), 7);
        // segments of 2, 2, 2, 1 batches = 7 batches; dropping the first two leaves 3 batches >= 3 batches
        assertEquals(4, log.segmentCount());
        assertEquals(2, log.applyRetention(clock.millis()));
        assertEquals(4, log.logStartOffset());
        assertEquals(3L * BATCH, log.sizeInBytes());
        assertEquals(0, log.applyRetention(clock.millis()), "one more would go below retention.bytes");
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(3, 100));
    }

    @Test
    void unlimitedRetentionDeletesNothing() {
        openAndFill(Map.of("retention.ms", "-1", "retention.bytes", "-1"), 6);
        clock.advance(1_000_000_000L);
        assertEquals(0, log.applyRetention(clock.millis()));
        assertEquals(0, log.logStartOffset());
    }

    @Test
    void filesOfDeletedSegmentsStayUntilFileDeleteDelayMs() throws IOException {
        openAndFill(Map.of("retention.ms", "1500", "file.delete.delay.ms", "60000"), 4);
        // a reader got a slice of the first segment before retention removed it
        FetchDataInfo inFlight = log.read(0, 1 << 20);
        assertEquals(1, log.applyRetention(clock.millis()));
        assertEquals(List.of("00000000000000000000.log.deleted"), files(".log.deleted"));
        assertEquals(2, readRecordsOf(inFlight), "the in-flight read still completes");
        log.updateConfig(log.config().withOverrides(Map.of("retention.ms", "-1"))); // no further deletions
        clock.advance(59_999);
        log.applyRetention(clock.millis());
        assertFalse(files(".deleted").isEmpty());
        clock.advance(1);
        log.applyRetention(clock.millis());
        assertTrue(files(".deleted").isEmpty());
    }

    @Test
    void retentionSurvivesRestart() {
        openAndFill(Map.of("retention.ms", "3500"), 6);
        log.close();
        log = PartitionLog.open(dir(), TP, log.config(), clock);
        assertEquals(1, log.applyRetention(clock.millis()), "largest timestamps come back from the time indexes");
        log.close();
        log = PartitionLog.open(dir(), TP, log.config(), clock);
        assertEquals(2, log.logStartOffset());
    }

    private static int readRecordsOf(FetchDataInfo info) {
        int n = 0;
        for (var batch : info.records().batches())
            for (var ignored : batch)
                n++;
        return n;
    }
}
