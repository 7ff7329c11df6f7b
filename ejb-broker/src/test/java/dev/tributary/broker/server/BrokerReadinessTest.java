package dev.tributary.broker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.log.LogConfig;
import dev.tributary.broker.log.LogManager;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.topic.NewTopic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerReadinessTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);

    @TempDir
    Path dir;

    @Test
    void notReadyWhileALogIsRecoveredAndReadyOnceTheBrokerHasStarted() throws Exception {
        Path logDir = dir.resolve("logs");
        try (LogManager logs = new LogManager(logDir, Clock.systemUTC())) {
            logs.createLog(ORDERS_0, LogConfig.defaults()).append(records("a", "b"));
        }
        Files.delete(logDir.resolve("orders-0").resolve(".clean-shutdown")); // as after a crash

        HeldClock clock = new HeldClock();
        BrokerReadiness readiness = new BrokerReadiness();
        assertFalse(readiness.readiness().up());
        assertEquals("starting", readiness.readiness().data().get("state"));
        try (LogManager logs = new LogManager(logDir, clock)) {
            readiness.recovering(logs);
            clock.holdNextRead();
            CompletableFuture<PartitionLog> opened = CompletableFuture.supplyAsync(
                    () -> logs.openLog(ORDERS_0, LogConfig.defaults()));
            assertTrue(clock.held.await(10, TimeUnit.SECONDS), "the log is being opened");

            BrokerReadiness.Report during = readiness.readiness();
            assertFalse(during.up());
            assertEquals("recovering partition logs", during.data().get("state"));
            assertEquals("orders-0", during.data().get("recoveringPartitions"));
            assertTrue(readiness.liveness().up(), "recovering is not dead");

            clock.release.countDown();
            assertFalse(opened.get(10, TimeUnit.SECONDS).recoveryInfo().cleanShutdown(), "it was recovered");
            assertFalse(readiness.readiness().up(), "not started yet: other logs may follow");
            readiness.started();

            BrokerReadiness.Report after = readiness.readiness();
            assertTrue(after.up(), after::toString);
            assertEquals("running", after.data().get("state"));
            assertFalse(after.data().containsKey("recoveringPartitions"));
        }
    }

    @Test
    void notReadyWhileAPartitionIsOffline() throws IOException {
        Path logDir = dir.resolve("logs");
        try (LogManager logs = new LogManager(logDir, Clock.systemUTC())) {
            logs.createLog(ORDERS_0, LogConfig.defaults()).append(records("a"));
        }
        // The recovery point says offset 0 was flushed, but the segment is gone: the log cannot be opened.
        Files.delete(logDir.resolve("orders-0").resolve("00000000000000000000.log"));

        BrokerReadiness readiness = new BrokerReadiness();
        try (LogManager logs = new LogManager(logDir, Clock.systemUTC())) {
            readiness.recovering(logs);
            assertThrows(KafkaStorageException.class, () -> logs.openLog(ORDERS_0, LogConfig.defaults()));
            readiness.started();

            BrokerReadiness.Report report = readiness.readiness();
            assertFalse(report.up());
            assertTrue(report.data().get("offlinePartitions").startsWith("orders-0 ("), report::toString);

            logs.deleteLog(ORDERS_0); // the operator drops the broken replica
            assertTrue(readiness.readiness().up());
        }
    }

    @Test
    void notReadyWhenTheDataDirectoryIsNotWritable() throws IOException {
        Path logDir = dir.resolve("logs");
        BrokerReadiness readiness = new BrokerReadiness();
        try (LogManager logs = new LogManager(logDir, Clock.systemUTC())) {
            readiness.recovering(logs);
            readiness.started();
            assertTrue(readiness.readiness().up());

            // Permissions do not stop root, so take the directory away (an unmounted or removed volume).
            Path moved = dir.resolve("moved");
            Files.move(logDir, moved);
            Files.writeString(logDir, "not a directory");

            BrokerReadiness.Report report = readiness.readiness();
            assertFalse(report.up());
            assertEquals(logDir.toString(), report.data().get("dataDirNotWritable"));
            Files.delete(logDir);
            Files.move(moved, logDir);
            assertTrue(readiness.readiness().up());
        }
    }

    @Test
    void theBrokerReportsItsOwnLifecycle() {
        BrokerReadiness readiness = new BrokerReadiness();
        Broker broker = Broker.start(BrokerConfig.embedded(dir), Clock.systemUTC(), java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(), readiness);
        try {
            broker.topicAdministration().create(new NewTopic("orders", 2, (short) 1, Map.of()));
            assertTrue(readiness.readiness().up());
            assertTrue(readiness.liveness().up());
        } finally {
            broker.close();
        }
        assertFalse(readiness.readiness().up());
        assertFalse(readiness.liveness().up());
        assertEquals("stopped", readiness.liveness().data().get("state"));
    }

    @Test
    void aFailedStartIsNeitherLiveNorReady() {
        try (Broker running = Broker.start(BrokerConfig.embedded(dir), Clock.systemUTC())) {
            BrokerReadiness second = new BrokerReadiness();
            assertThrows(KafkaStorageException.class, () -> Broker.start(BrokerConfig.embedded(dir),
                    Clock.systemUTC(), java.util.concurrent.Executors.newSingleThreadScheduledExecutor(), second));
            assertFalse(second.liveness().up());
            assertTrue(second.liveness().data().get("failure").contains("in use"));
            assertTrue(running.readiness().readiness().up());
        }
    }

    @Test
    void aBoundaryThatStartsListenersHoldsTheBrokerNotReadyUntilTheyAreUp() {
        BrokerReadiness readiness = BrokerReadiness.untilListening();
        try (Broker broker = Broker.start(BrokerConfig.embedded(dir), Clock.systemUTC(),
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(), readiness)) {
            assertFalse(readiness.serving());
            assertFalse(readiness.readiness().up());
            assertEquals("starting listeners", readiness.readiness().data().get("state"));
            assertTrue(readiness.liveness().up());

            readiness.listening();
            assertTrue(readiness.serving());
            assertTrue(readiness.readiness().up());
            assertEquals("running", readiness.state());
        }
        assertFalse(readiness.serving());
        assertEquals("stopped", readiness.state());
    }

    @Test
    void aStartThatFailsAfterTheCoreStartedStaysFailedWithItsReasonOnceClosed() {
        BrokerReadiness readiness = BrokerReadiness.untilListening();
        Broker broker = Broker.start(BrokerConfig.embedded(dir), Clock.systemUTC(),
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(), readiness);
        readiness.failed("Cannot listen on 127.0.0.1:9092: Address already in use");
        broker.close();

        readiness.listening();
        assertFalse(readiness.serving());
        assertEquals("failed to start", readiness.state());
        assertEquals("Cannot listen on 127.0.0.1:9092: Address already in use", readiness.failure().orElseThrow());
        BrokerReadiness.Report liveness = readiness.liveness();
        assertFalse(liveness.up());
        assertEquals("Cannot listen on 127.0.0.1:9092: Address already in use", liveness.data().get("failure"));
        assertFalse(readiness.readiness().up());
    }

    @Test
    void aFailureReportedByTheBoundaryReplacesTheCoresOwn() {
        try (Broker running = Broker.start(BrokerConfig.embedded(dir), Clock.systemUTC())) {
            BrokerReadiness second = BrokerReadiness.untilListening();
            assertThrows(KafkaStorageException.class, () -> Broker.start(BrokerConfig.embedded(dir),
                    Clock.systemUTC(), java.util.concurrent.Executors.newSingleThreadScheduledExecutor(), second));
            assertTrue(second.failure().orElseThrow().contains("KafkaStorageException"), second.failure()::toString);
            second.failed("Data directory in use");
            assertEquals("Data directory in use", second.liveness().data().get("failure"));
        }
    }

    private static MemoryRecords records(String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++)
            records[i] = new SimpleRecord(1_000L, null, values[i].getBytes(StandardCharsets.UTF_8));
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    /** A clock whose next read, once armed, blocks until released: the first thing a log's opening does. */
    private static final class HeldClock extends Clock {
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private volatile boolean armed;

        void holdNextRead() {
            armed = true;
        }

        @Override
        public long millis() {
            if (armed) {
                armed = false;
                held.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return System.currentTimeMillis();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
