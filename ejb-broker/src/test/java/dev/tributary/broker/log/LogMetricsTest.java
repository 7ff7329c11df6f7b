package dev.tributary.broker.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.metrics.BrokerMetrics;
import dev.tributary.broker.metrics.TopicTraffic;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the logs of a {@link LogManager} feed into the broker's metrics: appended records and bytes, fsync times. */
class LogMetricsTest {

    @TempDir
    Path dir;

    @Test
    void countsEveryAppendOfATopicAcrossItsPartitions() {
        BrokerMetrics metrics = new BrokerMetrics();
        try (LogManager logs = new LogManager(dir, Clock.systemUTC(), metrics)) {
            PartitionLog p0 = logs.createLog(new TopicPartition("orders", 0), LogConfig.defaults());
            PartitionLog p1 = logs.createLog(new TopicPartition("orders", 1), LogConfig.defaults());
            PartitionLog other = logs.createLog(new TopicPartition("audit", 0), LogConfig.defaults());
            MemoryRecords two = TestRecords.batch(1_000L, "a", "b");
            int twoBytes = two.sizeInBytes();
            MemoryRecords three = TestRecords.batch(1_000L, "c", "d", "e");
            int threeBytes = three.sizeInBytes();

            p0.append(two);
            p1.append(three);
            other.append(TestRecords.batch(1_000L, "x"));

            TopicTraffic orders = metrics.topic("orders");
            assertEquals(5, orders.recordsIn());
            assertEquals(twoBytes + threeBytes, orders.bytesIn());
            assertEquals(1, metrics.topic("audit").recordsIn());
            assertEquals(0, orders.recordsOut(), "appending serves nothing");
        }
    }

    @Test
    void doesNotCountAnIdempotentRetryTwice() {
        BrokerMetrics metrics = new BrokerMetrics();
        try (LogManager logs = new LogManager(dir, Clock.systemUTC(), metrics)) {
            PartitionLog log = logs.createLog(new TopicPartition("orders", 0), LogConfig.defaults());
            log.append(TestRecords.idempotentBatch(7L, (short) 0, 0, 1_000L, "a", "b"));
            LogAppendInfo retry = log.append(TestRecords.idempotentBatch(7L, (short) 0, 0, 1_000L, "a", "b"));

            assertTrue(retry.duplicate());
            assertEquals(2, metrics.topic("orders").recordsIn());
        }
    }

    @Test
    void timesEveryFsync() {
        BrokerMetrics metrics = new BrokerMetrics();
        try (LogManager logs = new LogManager(dir, Clock.systemUTC(), metrics)) {
            PartitionLog log = logs.createLog(new TopicPartition("orders", 0), LogConfig.defaults());
            long before = metrics.flushTimes().count();
            log.append(TestRecords.batch(1_000L, "a")); // flush.messages=1: fsynced before it returns
            log.append(TestRecords.batch(1_000L, "b"));

            assertEquals(log.fsyncCount(), metrics.flushTimes().count() - before);
            assertEquals(2, log.fsyncCount());
            assertTrue(metrics.flushTimes().sumSeconds() > 0);
        }
    }
}
