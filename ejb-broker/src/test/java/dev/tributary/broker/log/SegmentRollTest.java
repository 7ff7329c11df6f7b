package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.tributary.broker.log.TestRecords.batch;
import static dev.tributary.broker.log.TestRecords.readAll;
import static dev.tributary.broker.log.TestRecords.sizedBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentRollTest {
    private static final TopicPartition TP = new TopicPartition("events", 3);

    @TempDir
    Path tmp;
    private final ManualClock clock = new ManualClock(1_000_000L);
    private PartitionLog log;

    @AfterEach
    void closeLog() {
        if (log != null)
            log.close();
    }

    private Path dir() {
        return tmp.resolve("events-3");
    }

    private List<String> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".log")).sorted().toList();
        }
    }

    @Test
    void rollsWhenTheActiveSegmentWouldExceedSegmentBytes() throws IOException {
        int batchSize = sizedBatch(1L, 1, 100).sizeInBytes();
        log = PartitionLog.open(dir(), TP, LogConfig.fromMap(Map.of("segment.bytes", Integer.toString(3 * batchSize))),
                clock);
        for (int i = 0; i < 7; i++)
            log.append(sizedBatch(1L, 1, 100));
        // 3 batches fit exactly in a segment: 0-2, 3-5, 6
        assertEquals(3, log.segmentCount());
        assertEquals(List.of("00000000000000000000.log", "00000000000000000003.log", "00000000000000000006.log"),
                segmentFiles());
        assertEquals(3L * batchSize, Files.size(dir().resolve("00000000000000000000.log")));
        assertTrue(Files.exists(dir().resolve("00000000000000000003.index")));
        assertTrue(Files.exists(dir().resolve("00000000000000000003.timeindex")));
        assertEquals(7, readAll(log).size());
        // a read at a segment's first offset comes from that segment
        assertEquals(3, log.read(3, 1).records().batches().iterator().next().baseOffset());
    }

    @Test
    void rollsWhenTheActiveSegmentIsOlderThanSegmentMs() throws IOException {
        log = PartitionLog.open(dir(), TP, LogConfig.fromMap(Map.of("segment.ms", "1000")), clock);
        log.append(batch(clock.millis(), "a"));
        clock.advance(1000);
        log.append(batch(clock.millis(), "b"));
        assertEquals(1, log.segmentCount(), "exactly segment.ms old is not older than segment.ms");
        clock.advance(1);
        log.append(batch(clock.millis(), "c"));
        assertEquals(2, log.segmentCount());
        assertEquals(List.of("00000000000000000000.log", "00000000000000000002.log"), segmentFiles());
        // the new segment's age starts at its first append
        clock.advance(1000);
        log.append(batch(clock.millis(), "d"));
        assertEquals(2, log.segmentCount());
        assertEquals(List.of("a", "b", "c", "d"), readAll(log).stream().map(TestRecords.ReadRecord::value).toList());
    }

    @Test
    void anEmptyActiveSegmentIsNotRolledByTime() {
        log = PartitionLog.open(dir(), TP, LogConfig.fromMap(Map.of("segment.ms", "10")), clock);
        clock.advance(1_000_000);
        log.append(batch(clock.millis(), "a"));
        assertEquals(1, log.segmentCount());
    }

    @Test
    void rollsWhenTheIndexIsFull() {
        // two offset-index entries of 8 bytes; the time index (12-byte entries) holds 1 + the reserved one
        log = PartitionLog.open(dir(), TP, LogConfig.fromMap(Map.of("segment.index.bytes", "24",
                "index.interval.bytes", "0")), clock);
        for (int i = 0; i < 10; i++)
            log.append(batch(clock.millis() + i, "v" + i));
        assertTrue(log.segmentCount() > 1, "segments: " + log.segmentCount());
        assertEquals(10, readAll(log).size());
    }

    @Test
    void rolledSegmentsAreDurableAndCheckpointed() throws IOException {
        int batchSize = sizedBatch(1L, 1, 100).sizeInBytes();
        log = PartitionLog.open(dir(), TP, LogConfig.fromMap(Map.of("segment.bytes", Integer.toString(batchSize),
                "flush.messages", Long.toString(Long.MAX_VALUE))), clock);
        log.append(sizedBatch(1L, 1, 100));
        assertEquals(0, log.recoveryPoint(), "flush.messages=MAX does not fsync on append");
        log.append(sizedBatch(1L, 1, 100));
        assertEquals(1, log.recoveryPoint(), "rolling fsyncs the old segment");
        assertEquals(1L, OffsetCheckpointFile.RECOVERY_POINT.read(dir()).orElseThrow());
    }
}
