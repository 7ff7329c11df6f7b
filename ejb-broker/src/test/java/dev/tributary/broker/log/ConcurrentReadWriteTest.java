package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readers running alongside appends, rolls and retention only ever see whole, valid batches below the end, and
 * a read that raced with retention still completes (file.delete.delay.ms keeps the files).
 */
class ConcurrentReadWriteTest {
    @TempDir
    Path tmp;

    @Test
    void readersSeeOnlyCompleteBatches() throws Exception {
        TopicPartition tp = new TopicPartition("mixed", 0);
        PartitionLog log = PartitionLog.open(tmp.resolve("mixed-0"), tp, LogConfig.fromMap(Map.of(
                "segment.bytes", "8192", "index.interval.bytes", "256", "flush.messages",
                Long.toString(Long.MAX_VALUE), "retention.bytes", "40000")), // files of deleted segments outlive the test
                new ManualClock(0));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 400; i++) {
                        log.append(TestRecords.sizedBatch(i, 1 + i % 5, 40));
                        if (i % 50 == 0)
                            log.applyRetention(0);
                    }
                    return null;
                }));
            }
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    int reads = 0;
                    while (writing.get() || reads == 0) {
                        long start = log.logStartOffset();
                        long end = log.logEndOffset();
                        if (end == start)
                            continue;
                        long offset = ThreadLocalRandom.current().nextLong(start, end);
                        FetchDataInfo info;
                        try {
                            info = log.read(offset, ThreadLocalRandom.current().nextInt(1, 3000));
                        } catch (org.apache.kafka.common.errors.OffsetOutOfRangeException e) {
                            continue; // retention moved the start meanwhile
                        }
                        boolean first = true;
                        for (RecordBatch batch : info.records().batches()) {
                            batch.ensureValid();
                            if (first)
                                assertTrue(batch.baseOffset() <= offset && offset <= batch.lastOffset(),
                                        "batch " + batch.baseOffset() + ".." + batch.lastOffset() + " for " + offset);
                            first = false;
                        }
                        assertTrue(!first, "at least one whole batch for offset " + offset);
                        reads++;
                    }
                    return reads;
                }));
            }
            for (Future<?> w : writers)
                w.get(60, TimeUnit.SECONDS);
            writing.set(false);
            for (Future<Integer> r : readers)
                assertTrue(r.get(60, TimeUnit.SECONDS) > 0);
            long expected = 2L * (400 / 5) * (1 + 2 + 3 + 4 + 5);
            assertEquals(expected, log.logEndOffset());
            assertTrue(log.logStartOffset() > 0, "retention ran while reading");
        } finally {
            writing.set(false);
            pool.shutdownNow();
            log.close();
        }
    }
}
