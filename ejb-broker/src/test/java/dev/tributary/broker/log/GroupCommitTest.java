package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.tributary.broker.log.TestRecords.batch;
import static dev.tributary.broker.log.TestRecords.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class GroupCommitTest {
    private static final TopicPartition TP = new TopicPartition("clicks", 0);

    @TempDir
    Path tmp;
    private final ManualClock clock = new ManualClock(0);

    @Test
    void concurrentAppendsGetContiguousOffsetsWithNoLoss() throws Exception {
        PartitionLog log = PartitionLog.open(tmp.resolve("clicks-0"), TP,
                LogConfig.fromMap(Map.of("segment.bytes", "65536")), clock);
        int threads = 4;
        int appendsPerThread = 150;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<LogAppendInfo>>> results = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    List<LogAppendInfo> infos = new ArrayList<>();
                    for (int i = 0; i < appendsPerThread; i++)
                        infos.add(log.append(batch(1L, "t" + thread + "-" + i + "-a", "t" + thread + "-" + i + "-b")));
                    return infos;
                }));
            }
            start.countDown();
            Set<Long> offsets = new HashSet<>();
            for (Future<List<LogAppendInfo>> f : results) {
                for (LogAppendInfo info : f.get(60, TimeUnit.SECONDS)) {
                    assertEquals(info.firstOffset() + 1, info.lastOffset());
                    assertTrue(offsets.add(info.firstOffset()) && offsets.add(info.lastOffset()));
                    assertTrue(log.recoveryPoint() > info.lastOffset(), "acknowledged appends are durable");
                }
            }
            int total = threads * appendsPerThread * 2;
            assertEquals(total, log.logEndOffset());
            for (long o = 0; o < total; o++)
                assertTrue(offsets.contains(o), "offset " + o);

            List<TestRecords.ReadRecord> records = readAll(log);
            assertEquals(total, records.size());
            Set<String> values = new HashSet<>();
            for (int i = 0; i < records.size(); i++) {
                assertEquals(i, records.get(i).offset());
                values.add(records.get(i).value());
            }
            assertEquals(total, values.size(), "every record exactly once");
            for (int i = 0; i < records.size(); i += 2) {
                String a = records.get(i).value();
                assertEquals(a.substring(0, a.length() - 1) + "b", records.get(i + 1).value(), "batches stay whole");
            }
            assertTrue(log.fsyncCount() <= threads * appendsPerThread);
        } finally {
            pool.shutdownNow();
            log.close();
        }
    }

    /**
     * Deterministic group commit: the first appender's fsync is held open while three more appenders write; when
     * it completes, one of them fsyncs for all three. Four durable appends, two fsyncs.
     */
    @Test
    void appendersWaitingForAnFsyncShareTheNextOne() throws Exception {
        CountDownLatch firstFsyncStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstFsync = new CountDownLatch(1);
        AtomicInteger fsyncs = new AtomicInteger();
        FlushListener holdFirst = upTo -> {
            if (fsyncs.incrementAndGet() == 1) {
                firstFsyncStarted.countDown();
                await(releaseFirstFsync);
            }
        };
        PartitionLog log = PartitionLog.open(tmp.resolve("clicks-0"), TP, LogConfig.defaults(), clock, holdFirst);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<LogAppendInfo> first = pool.submit(() -> log.append(batch(1L, "first")));
            assertTrue(firstFsyncStarted.await(30, TimeUnit.SECONDS));
            List<Future<LogAppendInfo>> others = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String value = "other-" + i;
                others.add(pool.submit(() -> log.append(batch(1L, value))));
            }
            // readers and writers are not blocked by the fsync in progress
            waitUntil(() -> log.logEndOffset() == 4);
            assertEquals(4, readAll(log).size());
            assertFalse(first.isDone(), "not acknowledged before its fsync completes");
            for (Future<LogAppendInfo> f : others)
                assertFalse(f.isDone(), "not acknowledged before an fsync covers it");

            releaseFirstFsync.countDown();
            first.get(30, TimeUnit.SECONDS);
            for (Future<LogAppendInfo> f : others)
                f.get(30, TimeUnit.SECONDS);
            assertEquals(2, log.fsyncCount(), "one fsync for the first append, one shared by the other three");
            assertEquals(4, log.recoveryPoint());
        } finally {
            releaseFirstFsync.countDown();
            pool.shutdownNow();
            log.close();
        }
    }

    @Test
    void flushMessagesFsyncsEveryNMessages() {
        PartitionLog log = PartitionLog.open(tmp.resolve("clicks-0"), TP,
                LogConfig.fromMap(Map.of("flush.messages", "3")), clock);
        try {
            log.append(batch(1L, "a"));
            log.append(batch(1L, "b"));
            assertEquals(0, log.fsyncCount());
            assertEquals(0, log.recoveryPoint());
            log.append(batch(1L, "c"));
            assertEquals(1, log.fsyncCount());
            assertEquals(3, log.recoveryPoint());
            log.append(batch(1L, "d", "e", "f")); // three at once reach the threshold too
            assertEquals(2, log.fsyncCount());
        } finally {
            log.close();
        }
    }

    @Test
    void withFlushMessagesMaxOnlyFlushMsFlushes() {
        PartitionLog log = PartitionLog.open(tmp.resolve("clicks-0"), TP, LogConfig.fromMap(Map.of(
                "flush.messages", Long.toString(Long.MAX_VALUE), "flush.ms", "1000")), clock);
        try {
            for (int i = 0; i < 100; i++)
                log.append(batch(1L, "v" + i));
            assertEquals(0, log.fsyncCount());
            log.flushIfDue(clock.millis() + 999);
            assertEquals(0, log.fsyncCount());
            clock.advance(1000);
            log.flushIfDue(clock.millis());
            assertEquals(1, log.fsyncCount());
            assertEquals(100, log.recoveryPoint());
            log.flushIfDue(clock.millis() + 5000);
            assertEquals(1, log.fsyncCount(), "nothing unflushed");
        } finally {
            log.close();
        }
    }

    @Test
    void defaultDurabilityFsyncsBeforeEachAcknowledgement() {
        PartitionLog log = PartitionLog.open(tmp.resolve("clicks-0"), TP, LogConfig.defaults(), clock);
        try {
            for (int i = 0; i < 5; i++) {
                LogAppendInfo info = log.append(batch(1L, "v" + i));
                assertEquals(info.lastOffset() + 1, log.recoveryPoint());
            }
            assertEquals(5, log.fsyncCount(), "one appender at a time: one fsync each");
        } finally {
            log.close();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS))
                throw new AssertionError("timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits for a condition that other threads will make true; fails after 30 s instead of hanging. */
    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline)
                fail("condition not reached in 30 s");
            Thread.sleep(1);
        }
    }
}
