package dev.tributary.broker.log;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Builds produce requests and reads logs back, for tests. */
final class TestRecords {

    /** A record as a consumer sees it. */
    record ReadRecord(long offset, long timestamp, String key, String value, List<String> headers) {
    }

    /** Where a batch sits in a segment file. */
    record BatchLocation(int position, int size, long baseOffset, long lastOffset) {
    }

    private TestRecords() {
    }

    /**
     * One v2 batch whose records have key {@code "k-" + value}, the value, and one header {@code h=value}; all
     * with {@code timestamp}. The batch's offsets start at 0 as a producer's do.
     */
    static MemoryRecords batch(long timestamp, Compression compression, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++)
            records[i] = new SimpleRecord(timestamp, bytes("k-" + values[i]), bytes(values[i]),
                    new Header[]{new RecordHeader("h", bytes(values[i]))});
        return MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V2, 0L, compression, TimestampType.CREATE_TIME,
                records);
    }

    static MemoryRecords batch(long timestamp, String... values) {
        return batch(timestamp, Compression.NONE, values);
    }

    /** One batch of an idempotent producer: {@code values.length} records from sequence {@code firstSeq}. */
    static MemoryRecords idempotentBatch(long producerId, short epoch, int firstSeq, long timestamp, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++)
            records[i] = new SimpleRecord(timestamp, null, bytes(values[i]));
        return MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, epoch, firstSeq, records);
    }

    /** One batch whose records have the given timestamps (values "v0", "v1", ...). */
    static MemoryRecords batchWithTimestamps(long... timestamps) {
        SimpleRecord[] records = new SimpleRecord[timestamps.length];
        for (int i = 0; i < timestamps.length; i++)
            records[i] = new SimpleRecord(timestamps[i], null, bytes("v" + i));
        return MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V2, 0L, Compression.NONE, TimestampType.CREATE_TIME,
                records);
    }

    /** One batch of {@code count} records of {@code valueSize} bytes each. */
    static MemoryRecords sizedBatch(long timestamp, int count, int valueSize) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++)
            records[i] = new SimpleRecord(timestamp, null, new byte[valueSize]);
        return MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V2, 0L, Compression.NONE, TimestampType.CREATE_TIME,
                records);
    }

    /** Several batches in one request, as a producer sends them. */
    static MemoryRecords concat(MemoryRecords... parts) {
        int size = 0;
        for (MemoryRecords p : parts)
            size += p.sizeInBytes();
        ByteBuffer buffer = ByteBuffer.allocate(size);
        for (MemoryRecords p : parts)
            buffer.put(p.buffer().duplicate());
        buffer.flip();
        return MemoryRecords.readableRecords(buffer);
    }

    /** Every record from the log start offset to the log end offset, read through {@link PartitionLog#read}. */
    static List<ReadRecord> readAll(PartitionLog log) {
        return readFrom(log, log.logStartOffset(), 4096);
    }

    static List<ReadRecord> readFrom(PartitionLog log, long from, int maxBytes) {
        List<ReadRecord> out = new ArrayList<>();
        long next = from;
        while (next < log.logEndOffset()) {
            FetchDataInfo info = log.read(next, maxBytes);
            long before = next;
            for (RecordBatch batch : info.records().batches()) {
                for (Record r : batch) {
                    if (r.offset() >= next)
                        out.add(toReadRecord(r));
                }
                next = Math.max(next, batch.nextOffset());
            }
            if (next == before)
                throw new AssertionError("read(" + next + ", " + maxBytes + ") returned no complete batch");
        }
        return out;
    }

    static ReadRecord toReadRecord(Record r) {
        List<String> headers = new ArrayList<>();
        for (Header h : r.headers())
            headers.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8));
        return new ReadRecord(r.offset(), r.timestamp(), string(r.key()), string(r.value()), headers);
    }

    /** The batches in a segment file, with their positions. */
    static List<BatchLocation> batchLocations(Path logFile) throws IOException {
        List<BatchLocation> out = new ArrayList<>();
        try (FileRecords records = FileRecords.open(logFile.toFile(), false)) {
            for (FileChannelRecordBatch b : records.batches())
                out.add(new BatchLocation(b.position(), b.sizeInBytes(), b.baseOffset(), b.lastOffset()));
        }
        return out;
    }

    /**
     * What a replica fetch from {@code leader} at {@code from} returns, copied into memory as a follower receives it
     * over the network.
     */
    static MemoryRecords replicate(PartitionLog leader, long from) throws IOException {
        FileRecords slice = (FileRecords) leader.read(from, Integer.MAX_VALUE, FetchIsolation.LOG_END).records();
        ByteBuffer buffer = ByteBuffer.allocate(slice.sizeInBytes());
        slice.readInto(buffer, 0);
        return MemoryRecords.readableRecords(buffer);
    }

    /** Inverts the bits of the byte at {@code position} of {@code file}. */
    static void flipByte(Path file, long position) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, position);
            b.put(0, (byte) ~b.get(0));
            b.rewind();
            ch.write(b, position);
        }
    }

    /** Inverts the bits of {@code count} bytes of {@code file} from {@code position}: damage a disk can do. */
    static void flipBytes(Path file, long position, int count) throws IOException {
        for (int i = 0; i < count; i++)
            flipByte(file, position + i);
    }

    /** Overwrites bytes of {@code file} at {@code position}. */
    static void overwrite(Path file, long position, byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(content), position);
        }
    }

    static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String string(ByteBuffer b) {
        if (b == null)
            return null;
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return new String(a, StandardCharsets.UTF_8);
    }
}
