package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tributary.broker.log.TestRecords.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OffsetIndexTest {
    @TempDir
    Path tmp;

    @Test
    void lookupFindsTheLargestEntryAtOrBelowTheTarget() throws IOException {
        OffsetIndex index = new OffsetIndex(tmp.resolve("00000000000000000100.index"), 100, 1024);
        assertEquals(new OffsetPosition(100, 0), index.lookup(150), "empty index: scan from the start");
        index.append(110, 400);
        index.append(120, 800);
        index.append(135, 1200);
        assertEquals(new OffsetPosition(100, 0), index.lookup(105));
        assertEquals(new OffsetPosition(110, 400), index.lookup(110));
        assertEquals(new OffsetPosition(110, 400), index.lookup(119));
        assertEquals(new OffsetPosition(120, 800), index.lookup(120));
        assertEquals(new OffsetPosition(135, 1200), index.lookup(1_000_000));
        assertThrows(IllegalArgumentException.class, () -> index.append(135, 1600), "offsets must increase");
        assertThrows(IllegalArgumentException.class, () -> index.append(140, 1200), "positions must increase");
        index.close();
        assertEquals(3 * OffsetIndex.ENTRY_SIZE, Files.size(index.file()), "closing trims to the entries");

        OffsetIndex reopened = new OffsetIndex(index.file(), 100, 1024);
        assertEquals(3, reopened.entries());
        assertEquals(new OffsetPosition(120, 800), reopened.lookup(125));
    }

    @Test
    void sanityCheckRejectsEntriesOutOfOrderOrPastTheSegment() throws IOException {
        OffsetIndex index = new OffsetIndex(tmp.resolve("00000000000000000000.index"), 0, 1024);
        index.append(10, 100);
        index.append(20, 200);
        index.sanityCheck(21, 300);
        assertThrows(CorruptIndexException.class, () -> index.sanityCheck(20, 300));
        assertThrows(CorruptIndexException.class, () -> index.sanityCheck(21, 200));
        index.trimToValidSize();
        TestRecords.overwrite(index.file(), 8, new byte[]{0, 0, 0, 5, 0, 0, 0, 50});
        assertThrows(CorruptIndexException.class, () -> new OffsetIndex(index.file(), 0, 1024).sanityCheck(21, 300));
    }

    /** Every offset, including those in the middle of a batch, is found through the index plus a short scan. */
    @Test
    void readFindsTheBatchContainingEveryOffset() {
        TopicPartition tp = new TopicPartition("idx", 0);
        ManualClock clock = new ManualClock(0);
        // a small index interval gives many index entries; small segments exercise lookups across segments
        PartitionLog log = PartitionLog.open(tmp.resolve("idx-0"), tp,
                LogConfig.fromMap(Map.of("index.interval.bytes", "150", "segment.bytes", "4000")), clock);
        try {
            List<long[]> batches = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String[] values = new String[1 + i % 4];
                for (int j = 0; j < values.length; j++)
                    values[j] = "v" + i + "-" + j;
                LogAppendInfo info = log.append(batch(i, values));
                batches.add(new long[]{info.firstOffset(), info.lastOffset()});
            }
            assertTrue(log.segmentCount() > 3, "segments: " + log.segmentCount());
            for (long[] b : batches) {
                for (long offset = b[0]; offset <= b[1]; offset++) {
                    RecordBatch first = log.read(offset, 1).records().batches().iterator().next();
                    assertEquals(b[0], first.baseOffset(), "batch for offset " + offset);
                    assertEquals(b[1], first.lastOffset(), "batch for offset " + offset);
                }
            }
        } finally {
            log.close();
        }
    }

    @Test
    void indexEntriesAreSparseByIndexIntervalBytes() throws IOException {
        TopicPartition tp = new TopicPartition("idx", 1);
        PartitionLog log = PartitionLog.open(tmp.resolve("idx-1"), tp,
                LogConfig.fromMap(Map.of("index.interval.bytes", "1000")), new ManualClock(0));
        int batchSize = TestRecords.sizedBatch(1L, 1, 200).sizeInBytes();
        for (int i = 0; i < 50; i++)
            log.append(TestRecords.sizedBatch(1L, 1, 200));
        log.close();
        long entries = Files.size(tmp.resolve("idx-1").resolve("00000000000000000000.index")) / OffsetIndex.ENTRY_SIZE;
        long expected = (50L * batchSize) / (1000 + batchSize); // one entry per more-than-1000 bytes
        assertTrue(Math.abs(entries - expected) <= 2, "entries " + entries + ", expected about " + expected);
    }
}
