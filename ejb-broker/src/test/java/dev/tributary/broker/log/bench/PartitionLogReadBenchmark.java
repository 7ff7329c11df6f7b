package dev.tributary.broker.log.bench;

import dev.tributary.broker.log.FetchDataInfo;
import dev.tributary.broker.log.LogConfig;
import dev.tributary.broker.log.PartitionLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.network.TransferableChannel;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
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
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Read throughput of {@link PartitionLog#read} from the page cache: sequential consumer-style fetches of
 * {@code fetchBytes} over a 512 MiB log (1 KiB records, 100 per batch, 1 GiB segments) written and flushed in
 * set-up, so every read hits cached pages. Each operation is one fetch: offset-index lookup, batch-header scan,
 * file slice, then one of
 * <ul>
 *   <li>{@code zeroCopyToDevNull}: {@code FileRecords.writeTo} through {@code FileChannel.transferTo}
 *       (sendfile) into {@code /dev/null} — the Kafka Fetch path minus the network;</li>
 *   <li>{@code copyToBuffer}: the slice copied into a direct buffer — what a non-zero-copy consumer (TLS,
 *       REST) pays;</li>
 *   <li>{@code walkBatchHeaders}: the slice's batch headers read one by one, payload untouched — the cost of
 *       finding batches, not of moving data.</li>
 * </ul>
 * Read the {@code bytes} secondary result: bytes delivered per second (for {@code walkBatchHeaders}, bytes of the
 * batches walked). {@code /dev/null} accepts sendfile without copying, so {@code zeroCopyToDevNull} measures lookup
 * and syscall overhead, an upper bound; {@code copyToBuffer} is the honest page-cache read rate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 4)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PartitionLogReadBenchmark {
    private static final int RECORD_BYTES = 1024;
    private static final int RECORDS_PER_BATCH = 100;
    private static final long LOG_BYTES = 512L << 20;

    @Param({"1048576"})
    public int fetchBytes;

    private Path dataDir;
    private PartitionLog log;
    private FileChannel devNull;
    private long recordsPerFetch;

    /** Bytes delivered, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public long bytes;
    }

    /** Each thread reads the log sequentially from its own position. */
    @State(Scope.Thread)
    public static class Cursor {
        long offset;
        final ByteBuffer buffer = ByteBuffer.allocateDirect(4 << 20);
    }

    @Setup(Level.Trial)
    public void writeLog() throws IOException {
        dataDir = BenchmarkRecords.newDataDir();
        LogConfig config = LogConfig.fromMap(Map.of(LogConfig.FLUSH_MESSAGES, Long.toString(Long.MAX_VALUE),
                LogConfig.RETENTION_MS, "-1"));
        log = PartitionLog.open(dataDir.resolve("bench-0"), new TopicPartition("bench", 0), config, Clock.systemUTC());
        MemoryRecords batch = BenchmarkRecords.batch(RECORDS_PER_BATCH, RECORD_BYTES, System.currentTimeMillis());
        while (log.sizeInBytes() < LOG_BYTES)
            log.append(batch);
        log.flush();
        recordsPerFetch = (long) (fetchBytes / batch.sizeInBytes()) * RECORDS_PER_BATCH;
        devNull = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.WRITE);
    }

    @TearDown(Level.Trial)
    public void deleteLog() throws IOException {
        devNull.close();
        log.closeAndDelete();
        BenchmarkRecords.deleteRecursively(dataDir);
    }

    private FetchDataInfo nextFetch(Cursor cursor) {
        FetchDataInfo info = log.read(cursor.offset, fetchBytes);
        cursor.offset += recordsPerFetch;
        if (cursor.offset >= log.logEndOffset())
            cursor.offset = 0;
        return info;
    }

    @Benchmark
    public long zeroCopyToDevNull(Cursor cursor, Bytes counter) throws IOException {
        FetchDataInfo info = nextFetch(cursor);
        int size = info.records().sizeInBytes();
        int written = 0;
        DevNullChannel channel = new DevNullChannel(devNull);
        while (written < size)
            written += info.records().writeTo(channel, written, size - written);
        counter.bytes += written;
        return written;
    }

    @Benchmark
    public long copyToBuffer(Cursor cursor, Bytes counter) throws IOException {
        FetchDataInfo info = nextFetch(cursor);
        org.apache.kafka.common.record.internal.FileRecords records =
                (org.apache.kafka.common.record.internal.FileRecords) info.records();
        cursor.buffer.clear().limit(records.sizeInBytes());
        records.readInto(cursor.buffer, 0);
        counter.bytes += cursor.buffer.remaining();
        return cursor.buffer.get(cursor.buffer.remaining() - 1);
    }

    @Benchmark
    public long walkBatchHeaders(Cursor cursor, Bytes counter) {
        FetchDataInfo info = nextFetch(cursor);
        long records = 0;
        for (RecordBatch batch : info.records().batches()) {
            records += batch.lastOffset() - batch.baseOffset() + 1;
            counter.bytes += batch.sizeInBytes();
        }
        return records;
    }

    /** Kafka's network-send interface over a FileChannel to /dev/null: transfers use sendfile. */
    private static final class DevNullChannel implements TransferableChannel {
        private final FileChannel target;

        DevNullChannel(FileChannel target) {
            this.target = target;
        }

        @Override
        public boolean hasPendingWrites() {
            return false;
        }

        @Override
        public long transferFrom(FileChannel fileChannel, long position, long count) throws IOException {
            return fileChannel.transferTo(position, count, target);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return target.write(srcs, offset, length);
        }

        @Override
        public long write(ByteBuffer[] srcs) throws IOException {
            return target.write(srcs);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return target.write(src);
        }

        @Override
        public boolean isOpen() {
            return target.isOpen();
        }

        @Override
        public void close() {
        }
    }
}
