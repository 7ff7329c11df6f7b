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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Append throughput of {@link PartitionLog#append}: one producer thread appending the same pre-built batch
 * (offsets are reassigned in place on every append, as for a real request; the CRC does not cover them).
 *
 * <p>{@code flushMessages=1} is Tributary's default durability: every append returns only after fdatasync.
 * {@code Long.MAX_VALUE} never fsyncs on append (page-cache speed, bounded by dirty-page writeback).
 * Each measurement iteration starts with a new, empty log (deleted afterwards), with 1 GiB segments.
 *
 * <p>Read the {@code bytes} secondary result: bytes appended per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PartitionLogAppendBenchmark {

    @Param({"100", "1024"})
    public int recordBytes;

    @Param({"100", "1000"})
    public int recordsPerBatch;

    @Param({"1", "9223372036854775807"})
    public long flushMessages;

    private Path dataDir;
    private PartitionLog log;
    private MemoryRecords batch;

    /** Bytes appended, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public long bytes;
    }

    @Setup(Level.Trial)
    public void buildBatch() {
        batch = BenchmarkRecords.batch(recordsPerBatch, recordBytes, System.currentTimeMillis());
    }

    @Setup(Level.Iteration)
    public void openLog() throws IOException {
        dataDir = BenchmarkRecords.newDataDir();
        LogConfig config = LogConfig.fromMap(Map.of(
                LogConfig.FLUSH_MESSAGES, Long.toString(flushMessages),
                LogConfig.RETENTION_MS, "-1"));
        log = PartitionLog.open(dataDir.resolve("bench-0"), new TopicPartition("bench", 0), config,
                Clock.systemUTC());
    }

    @TearDown(Level.Iteration)
    public void deleteLog() throws IOException {
        log.closeAndDelete();
        BenchmarkRecords.deleteRecursively(dataDir);
    }

    @Benchmark
    public LogAppendInfo append(Bytes counter) {
        LogAppendInfo info = log.append(batch);
        counter.bytes += info.validBytes();
        return info;
    }
}
