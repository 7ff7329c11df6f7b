package dev.tributary.broker.log.bench;

import dev.tributary.broker.log.LogAppendInfo;
import dev.tributary.broker.log.LogConfig;
import dev.tributary.broker.log.PartitionLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Append throughput with default durability ({@code flush.messages=1}) when several producers append to one
 * partition at once, as connections do on a broker: 1 KiB records, 1000 per batch, 4 appending threads sharing
 * fsyncs through group commit. Each thread appends its own batch (append rewrites the batch header in place).
 *
 * <p>Read the {@code bytes} secondary result (bytes appended per second, all threads). After each iteration the
 * number of fsync rounds and appends is printed; fewer fsyncs than appends means appends shared fsyncs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(4)
public class PartitionLogGroupCommitBenchmark {
    private Path dataDir;
    private PartitionLog log;
    private final java.util.concurrent.atomic.LongAdder appends = new java.util.concurrent.atomic.LongAdder();

    /** A producer's own batch. */
    @State(Scope.Thread)
    public static class Producer {
        MemoryRecords batch;

        @Setup(Level.Trial)
        public void build() {
            batch = BenchmarkRecords.batch(1000, 1024, System.currentTimeMillis());
        }
    }

    /** Bytes appended, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long bytes;
    }

    @Setup(Level.Iteration)
    public void openLog() throws IOException {
        dataDir = BenchmarkRecords.newDataDir();
        log = PartitionLog.open(dataDir.resolve("bench-0"), new TopicPartition("bench", 0),
                LogConfig.fromMap(Map.of(LogConfig.RETENTION_MS, "-1")), Clock.systemUTC());
        appends.reset();
    }

    @TearDown(Level.Iteration)
    public void deleteLog() throws IOException {
        System.out.printf("  [%d fsync rounds for %d appends]%n", log.fsyncCount(), appends.sum());
        log.closeAndDelete();
        BenchmarkRecords.deleteRecursively(dataDir);
    }

    @Benchmark
    public LogAppendInfo append(Producer producer, Counters counters) {
        LogAppendInfo info = log.append(producer.batch);
        counters.bytes += info.validBytes();
        appends.increment();
        return info;
    }
}
