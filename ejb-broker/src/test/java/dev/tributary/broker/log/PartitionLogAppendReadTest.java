package dev.tributary.broker.log;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tributary.broker.log.TestRecords.ReadRecord;
import static dev.tributary.broker.log.TestRecords.batch;
import static dev.tributary.broker.log.TestRecords.concat;
import static dev.tributary.broker.log.TestRecords.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionLogAppendReadTest {
    private static final TopicPartition TP = new TopicPartition("orders", 0);

    @TempDir
    Path tmp;
    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private PartitionLog log;

    private PartitionLog open(Map<String, String> overrides) {
        log = PartitionLog.open(tmp.resolve("orders-0"), TP, LogConfig.fromMap(overrides), clock);
        return log;
    }

    @AfterEach
    void closeLog() {
        if (log != null)
            log.close();
    }

    @Test
    void roundTripPreservesKeysValuesHeadersAndAssignsContiguousOffsets() {
        open(Map.of());
        LogAppendInfo first = log.append(batch(1000L, "a", "b", "c"));
        assertEquals(new LogAppendInfo(0, 2, 1000L, -1, 3, first.validBytes(), false), first);
        // a request with two batches: offsets continue across batch boundaries
        LogAppendInfo second = log.append(concat(batch(2000L, "d", "e"), batch(3000L, "f")));
        assertEquals(3, second.firstOffset());
        assertEquals(5, second.lastOffset());
        assertEquals(3000L, second.maxTimestamp());
        assertEquals(3, second.recordCount());
        assertEquals(6, log.logEndOffset());
        assertEquals(6, log.highWatermark());

        List<ReadRecord> records = readAll(log);
        assertEquals(List.of(
                new ReadRecord(0, 1000L, "k-a", "a", List.of("h=a")),
                new ReadRecord(1, 1000L, "k-b", "b", List.of("h=b")),
                new ReadRecord(2, 1000L, "k-c", "c", List.of("h=c")),
                new ReadRecord(3, 2000L, "k-d", "d", List.of("h=d")),
                new ReadRecord(4, 2000L, "k-e", "e", List.of("h=e")),
                new ReadRecord(5, 3000L, "k-f", "f", List.of("h=f"))), records);
    }

    @Test
    void compressedBatchesRoundTrip() {
        open(Map.of());
        log.append(batch(1L, Compression.lz4().build(), "l1", "l2", "l3"));
        log.append(batch(2L, Compression.gzip().build(), "g1", "g2"));
        log.append(batch(3L, Compression.zstd().build(), "z1"));
        List<String> values = readAll(log).stream().map(ReadRecord::value).toList();
        assertEquals(List.of("l1", "l2", "l3", "g1", "g2", "z1"), values);
        List<Long> offsets = readAll(log).stream().map(ReadRecord::offset).toList();
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), offsets);
        // the stored batches keep their compression: this is Kafka's format byte for byte
        FetchDataInfo info = log.read(0, Integer.MAX_VALUE);
        List<String> codecs = new ArrayList<>();
        for (RecordBatch b : info.records().batches())
            codecs.add(b.compressionType().name);
        assertEquals(List.of("lz4", "gzip", "zstd"), codecs);
    }

    @Test
    void readIsAZeroCopyFileSliceStartingAtTheBatchContainingTheOffset() {
        open(Map.of());
        log.append(batch(1L, "a", "b", "c"));
        log.append(batch(1L, "d", "e"));
        FetchDataInfo info = log.read(4, 1 << 20);
        assertEquals(4, info.fetchOffset());
        assertInstanceOf(FileRecords.class, info.records());
        RecordBatch first = info.records().batches().iterator().next();
        assertEquals(3, first.baseOffset());
        assertEquals(4, first.lastOffset());
        for (RecordBatch b : info.records().batches())
            b.ensureValid(); // what is on disk is a valid Kafka RecordBatch v2
    }

    @Test
    void logAppendTimeStampsBatchesWithTheBrokerClock() {
        open(Map.of("message.timestamp.type", "LogAppendTime"));
        LogAppendInfo info = log.append(batch(5L, "x", "y"));
        assertEquals(clock.millis(), info.logAppendTime());
        assertEquals(clock.millis(), info.maxTimestamp());
        RecordBatch stored = log.read(0, 1000).records().batches().iterator().next();
        assertEquals(TimestampType.LOG_APPEND_TIME, stored.timestampType());
        stored.ensureValid(); // the CRC was recomputed
        readAll(log).forEach(r -> assertEquals(clock.millis(), r.timestamp()));
    }

    @Test
    void readingOutsideTheLogFailsWithTheValidRange() {
        open(Map.of());
        log.append(batch(1L, "a", "b"));
        OffsetOutOfRangeException above = assertThrows(OffsetOutOfRangeException.class, () -> log.read(3, 100));
        assertTrue(above.getMessage().contains("orders-0") && above.getMessage().contains("log end offset 2"),
                above.getMessage());
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(-1, 100));
        // at the log end offset: nothing yet, no error
        FetchDataInfo atEnd = log.read(2, 100);
        assertEquals(0, atEnd.records().sizeInBytes());
    }

    @Test
    void tinyMaxBytesStillReturnsOneWholeBatch() {
        open(Map.of());
        log.append(batch(1L, "first-batch-1", "first-batch-2"));
        log.append(batch(1L, "second-batch"));
        FetchDataInfo info = log.read(0, 1);
        List<RecordBatch> batches = new ArrayList<>();
        info.records().batches().forEach(batches::add);
        assertEquals(1, batches.size());
        assertEquals(0, batches.get(0).baseOffset());
        assertEquals(1, batches.get(0).lastOffset());
        assertEquals(batches.get(0).sizeInBytes(), info.records().sizeInBytes());
        // maxBytes 0 behaves the same
        assertEquals(info.records().sizeInBytes(), log.read(0, 0).records().sizeInBytes());
        // and a large maxBytes returns both
        assertEquals(log.sizeInBytes(), log.read(0, 1 << 20).records().sizeInBytes());
    }

    @Test
    void maxBytesBoundsTheSlice() {
        open(Map.of());
        for (int i = 0; i < 10; i++)
            log.append(batch(1L, "value-" + i));
        int batchSize = log.read(0, 1).records().sizeInBytes();
        FetchDataInfo info = log.read(0, 3 * batchSize + 5);
        assertEquals(3 * batchSize + 5, info.records().sizeInBytes());
        int complete = 0;
        for (RecordBatch ignored : info.records().batches())
            complete++;
        assertEquals(3, complete, "a trailing partial batch is not returned as a batch");
    }

    @Test
    void corruptBatchIsRejectedAndNothingOfTheRequestIsWritten() {
        open(Map.of());
        log.append(batch(1L, "ok"));
        MemoryRecords request = concat(batch(1L, "good"), batch(1L, "bad"));
        ByteBuffer buf = request.buffer();
        int last = buf.limit() - 1;
        buf.put(last, (byte) ~buf.get(last)); // damage the second batch's last record
        CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> log.append(request));
        assertTrue(e.getMessage().contains("batch 1") && e.getMessage().contains("orders-0"), e.getMessage());
        assertEquals(1, log.logEndOffset(), "the good first batch of the request was not written either");
        assertEquals(log.read(0, 1 << 20).records().sizeInBytes(), log.sizeInBytes());
        assertEquals(1, log.append(batch(1L, "next")).firstOffset());
    }

    @Test
    void requestEndingInAPartialBatchIsRejected() {
        open(Map.of());
        MemoryRecords whole = batch(1L, "a", "b");
        ByteBuffer cut = whole.buffer().duplicate();
        cut.limit(cut.limit() - 3);
        assertThrows(CorruptRecordException.class, () -> log.append(MemoryRecords.readableRecords(cut.slice())));
        assertEquals(0, log.logEndOffset());
    }

    @Test
    void oldMagicAndEmptyRequestsAreRejected() {
        open(Map.of());
        MemoryRecords v1 = MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V1, 0L, Compression.NONE,
                TimestampType.CREATE_TIME, new SimpleRecord(1L, TestRecords.bytes("old")));
        InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> log.append(v1));
        assertTrue(e.getMessage().contains("magic 1"), e.getMessage());
        assertThrows(InvalidRecordException.class, () -> log.append(MemoryRecords.EMPTY));
        assertEquals(0, log.logEndOffset());
    }

    @Test
    void oversizedBatchesAreRejected() {
        open(Map.of("max.message.bytes", "200", "segment.bytes", "1000"));
        RecordTooLargeException tooLarge = assertThrows(RecordTooLargeException.class,
                () -> log.append(TestRecords.sizedBatch(1L, 1, 300)));
        assertTrue(tooLarge.getMessage().contains("max.message.bytes"), tooLarge.getMessage());
        MemoryRecords many = concat(TestRecords.sizedBatch(1L, 1, 100), TestRecords.sizedBatch(1L, 1, 100),
                TestRecords.sizedBatch(1L, 1, 100), TestRecords.sizedBatch(1L, 1, 100),
                TestRecords.sizedBatch(1L, 1, 100), TestRecords.sizedBatch(1L, 1, 100));
        RecordBatchTooLargeException segmentTooSmall = assertThrows(RecordBatchTooLargeException.class,
                () -> log.append(many));
        assertTrue(segmentTooSmall.getMessage().contains("segment.bytes"), segmentTooSmall.getMessage());
        assertEquals(0, log.logEndOffset());
    }

    @Test
    void closedLogRefusesReadsAndAppends() {
        open(Map.of());
        log.append(batch(1L, "a"));
        log.close();
        assertThrows(org.apache.kafka.common.errors.KafkaStorageException.class, () -> log.read(0, 10));
        assertThrows(org.apache.kafka.common.errors.KafkaStorageException.class, () -> log.append(batch(1L, "b")));
    }
}
