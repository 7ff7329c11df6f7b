package dev.tributary.broker.log.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.tributary.broker.log.CleanerConfig;
import dev.tributary.broker.log.LogCleaner;
import dev.tributary.broker.log.LogConfig;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.metrics.CleanerMetrics;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.server.util.KafkaScheduler;
import org.apache.kafka.storage.internals.log.Cleaner;
import org.apache.kafka.storage.internals.log.CleanerStats;
import org.apache.kafka.storage.internals.log.LogDirFailureChannel;
import org.apache.kafka.storage.internals.log.LogToClean;
import org.apache.kafka.storage.internals.log.ProducerStateManagerConfig;
import org.apache.kafka.storage.internals.log.SkimpyOffsetMap;
import org.apache.kafka.storage.internals.log.UnifiedLog;
import org.apache.kafka.storage.internals.utils.Throttler;
import org.apache.kafka.storage.log.metrics.BrokerTopicStats;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tributary's log cleaner against Apache Kafka 4.4.0's ({@code org.apache.kafka.storage.internals.log.Cleaner}, from
 * the kafka-storage jar), each in its own JVM on the same data: the {@link CompactionWorkload} appended to a fresh
 * log of the cleaner's own broker (128 MiB segments, no fsync), then one cleaning of everything below the active
 * segment, timed, with the JVM's heap watched. Both get Kafka's defaults: a 128 MiB dedupe buffer for one thread and
 * no I/O limit; Kafka's cleaner gets its broker's I/O buffers (256 KiB each) and allocates its map when it is built,
 * as a broker does at start-up, inside the measured window here.
 *
 * <p>Prints one {@code RESULT} line: seconds, MB/s of input, input and output bytes, the records kept, and the heap:
 * the largest heap in use seen by a 5 ms sampler, and the largest in use after a garbage collection (the live data),
 * both above the heap in use after a full GC just before the cleaning; and the bytes the cleaning allocated.
 *
 * <p>Usage: {@code CleanerComparison tributary|kafka DIR [SCALE]}; see {@code bench/compaction.sh}.
 */
public final class CleanerComparison {
    private static final TopicPartition TP = new TopicPartition("compacted", 0);
    private static final int SEGMENT_BYTES = 128 * 1024 * 1024;
    private static final long DEDUPE_BUFFER = 128L * 1024 * 1024;

    private CleanerComparison() {
    }

    public static void main(String[] args) throws Exception {
        String cleaner = args[0];
        Path dir = Path.of(args[1]);
        CompactionWorkload workload = new CompactionWorkload(args.length > 2 ? Double.parseDouble(args[2]) : 1.0);
        Result result = switch (cleaner) {
            case "tributary" -> tributary(dir, workload);
            case "kafka" -> kafka(dir, workload);
            default -> throw new IllegalArgumentException("tributary or kafka, not " + cleaner);
        };
        long[] expected = workload.expectedLatest();
        System.out.printf("RESULT cleaner=%s records=%d seconds=%.2f MB_s=%.1f input_MB=%.1f output_MB=%.1f"
                        + " kept=%d expected_kept=%d peak_heap_MB=%.1f peak_live_heap_MB=%.1f allocated_MB=%.1f%n",
                cleaner, workload.records(), result.seconds, result.inputBytes / 1e6 / result.seconds,
                result.inputBytes / 1e6, result.outputBytes / 1e6, result.kept, expected[0] + expected[1],
                result.heap.peakMb(), result.heap.peakLiveMb(), result.heap.allocatedMb());
        System.exit(0);
    }

    private record Result(double seconds, long inputBytes, long outputBytes, long kept, HeapWatch heap) {
    }

    private static Result tributary(Path dir, CompactionWorkload workload) throws Exception {
        LogConfig config = LogConfig.fromMap(Map.of("cleanup.policy", "compact", "segment.bytes",
                Integer.toString(SEGMENT_BYTES), "flush.messages", Long.toString(Long.MAX_VALUE)));
        PartitionLog log = PartitionLog.open(dir.resolve("compacted-0"), TP, config, Clock.systemUTC());
        long timestamp = System.currentTimeMillis();
        for (long i = 0; i < workload.records(); i += CompactionWorkload.BATCH_RECORDS)
            log.append(workload.batch(i, (int) Math.min(CompactionWorkload.BATCH_RECORDS, workload.records() - i),
                    timestamp));
        log.flush();
        long input = log.sizeInBytes();
        CleanerMetrics metrics = new CleanerMetrics();
        HeapWatch heap = HeapWatch.start();
        long start = System.nanoTime();
        try (LogCleaner cleaner = new LogCleaner(new CleanerConfig(1, DEDUPE_BUFFER, Double.MAX_VALUE, 15_000), dir,
                Clock.systemUTC(), metrics, () -> List.of(log))) {
            if (!cleaner.cleanOnce())
                throw new IllegalStateException("nothing to clean");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        heap.stop();
        long kept = KeptRecords.count(log);
        long output = log.sizeInBytes();
        log.close();
        return new Result(seconds, metrics.bytesRead(), output, kept, heap);
    }

    private static Result kafka(Path dir, CompactionWorkload workload) throws Exception {
        org.apache.kafka.storage.internals.log.LogConfig config = new org.apache.kafka.storage.internals.log.LogConfig(
                Map.of("cleanup.policy", "compact", "segment.bytes", Integer.toString(SEGMENT_BYTES)));
        KafkaScheduler scheduler = new KafkaScheduler(1);
        scheduler.startup();
        UnifiedLog log = UnifiedLog.create(dir.resolve("compacted-0").toFile(), config, 0L, 0L, scheduler,
                new BrokerTopicStats(), Time.SYSTEM, 900_000, new ProducerStateManagerConfig(86_400_000, false),
                600_000, new LogDirFailureChannel(1), true, Optional.empty());
        long timestamp = System.currentTimeMillis();
        for (long i = 0; i < workload.records(); i += CompactionWorkload.BATCH_RECORDS)
            log.appendAsLeader(workload.batch(i, (int) Math.min(CompactionWorkload.BATCH_RECORDS,
                    workload.records() - i), timestamp), 0);
        log.updateHighWatermark(log.logEndOffset());
        log.flush(false);
        HeapWatch heap = HeapWatch.start();
        long start = System.nanoTime();
        // As Kafka's LogCleaner builds each thread's Cleaner (CleanerConfig defaults, one thread).
        Cleaner cleaner = new Cleaner(0, new SkimpyOffsetMap((int) DEDUPE_BUFFER), 512 * 1024 / 2, 1048588, 0.9,
                new Throttler(Double.MAX_VALUE, 300, "cleaner-io", "bytes", Time.SYSTEM), Time.SYSTEM, tp -> { });
        Map.Entry<Long, CleanerStats> cleaned = cleaner.clean(new LogToClean(log, 0L,
                log.activeSegment().baseOffset(), false));
        double seconds = (System.nanoTime() - start) / 1e9;
        heap.stop();
        long kept = 0;
        for (org.apache.kafka.storage.internals.log.LogSegment segment : log.logSegments()) {
            for (var batch : segment.log().batches())
                kept += batch.countOrNull();
        }
        long output = log.size();
        log.close();
        scheduler.shutdown();
        return new Result(seconds, cleaned.getValue().bytesRead(), output, kept, heap);
    }

    /** Counts the records left in a Tributary log. */
    private static final class KeptRecords {
        static long count(PartitionLog log) {
            long kept = 0;
            long next = log.logStartOffset();
            while (next < log.logEndOffset()) {
                var read = log.read(next, 8 << 20);
                long before = next;
                for (var batch : read.records().batches()) {
                    kept += batch.countOrNull();
                    next = batch.nextOffset();
                }
                if (next == before)
                    break;
            }
            return kept;
        }
    }

    /**
     * Watches the heap while something runs: a 5 ms sampler of the heap in use, the heap in use after each garbage
     * collection (from the collectors' notifications), and the bytes this thread allocated.
     */
    private static final class HeapWatch {
        private final long baseline;
        private final long allocatedBefore;
        private final AtomicLong peak = new AtomicLong();
        private final AtomicLong peakLive = new AtomicLong();
        private final Thread sampler;
        private volatile boolean running = true;
        private long allocated;

        private HeapWatch() {
            System.gc();
            System.gc();
            baseline = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            allocatedBefore = threadAllocated();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType()))
                        return;
                    GarbageCollectionNotificationInfo info =
                            GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                    long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                            .mapToLong(MemoryUsage::getUsed).sum();
                    if (running)
                        peakLive.accumulateAndGet(used, Math::max);
                }, null, null);
            }
            sampler = new Thread(() -> {
                while (running) {
                    peak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
                            Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        static HeapWatch start() {
            return new HeapWatch();
        }

        void stop() throws InterruptedException {
            allocated = threadAllocated() - allocatedBefore;
            running = false;
            sampler.join();
        }

        double peakMb() {
            return Math.max(0, peak.get() - baseline) / 1048576.0;
        }

        double peakLiveMb() {
            return Math.max(0, peakLive.get() - baseline) / 1048576.0;
        }

        double allocatedMb() {
            return allocated / 1048576.0;
        }

        private static long threadAllocated() {
            return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
        }
    }
}
