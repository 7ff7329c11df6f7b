package dev.tributary.broker.log;

import dev.tributary.broker.metrics.CleanerMetrics;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.tributary.broker.log.TestRecords.bytes;

/**
 * For tests of compaction: one compacted log (small segments) on a manual clock, what was written to it kept as a
 * model (the latest record of each key), and a {@link LogCleaner} over it that the test runs a round at a time.
 */
abstract class CompactedLogTest extends OneLogTest {

    /** Small segments, small preallocated indexes, and a log that is cleaned as soon as anything is dirty. */
    static final Map<String, String> COMPACTED = Map.of("cleanup.policy", "compact", "segment.bytes", "1024",
            "segment.index.bytes", "4096", "min.cleanable.dirty.ratio", "0.01", "file.delete.delay.ms", "0");

    /** The latest record written for each key, in the order of their offsets once {@link #expected} sorts them. */
    final Map<String, TestRecords.ReadRecord> latest = new HashMap<>();
    final CleanerMetrics cleanerMetrics = new CleanerMetrics();
    LogCleaner cleaner;

    /** Opens the log with {@link #COMPACTED} and {@code overrides} on top. */
    PartitionLog openCompacted(Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>(COMPACTED);
        config.putAll(overrides);
        return open(config, true);
    }

    /** A cleaner of the logs {@code logs} gives, with a dedupe map of {@code mapMemory} bytes. */
    LogCleaner cleaner(long mapMemory, CleaningSteps steps, Supplier<Collection<PartitionLog>> logs) {
        try {
            cleaner = new LogCleaner(CleanerConfig.defaults(), tmp, clock, cleanerMetrics, logs, mapMemory, steps);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        for (PartitionLog each : logs.get())
            each.setTruncationListener(cleaner::truncated);
        return cleaner;
    }

    LogCleaner cleaner() {
        return cleaner(1 << 20, CleaningSteps.NONE, () -> List.of(log));
    }

    @AfterEach
    void closeCleaner() {
        if (cleaner != null)
            cleaner.close();
    }

    /** Appends one batch of one record with {@code key}, {@code value} (null: a tombstone) and a header. */
    TestRecords.ReadRecord put(String key, String value) {
        long timestamp = clock.millis();
        LogAppendInfo info = log.append(keyed(timestamp, key, value));
        TestRecords.ReadRecord record = new TestRecords.ReadRecord(info.firstOffset(), timestamp, key, value,
                List.of("h=" + (value == null ? "deleted" : value)));
        latest.put(key, record);
        return record;
    }

    /** Writes {@code rounds} values for each of {@code keys} keys, key by key within a round. */
    void putRounds(int keys, int rounds) {
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < keys; k++)
                put("key-" + k, "v" + round + "-" + k);
        }
    }

    static MemoryRecords keyed(long timestamp, String key, String value) {
        Header[] headers = {new RecordHeader("h", bytes(value == null ? "deleted" : value))};
        return MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V2, 0L, Compression.NONE, TimestampType.CREATE_TIME,
                new SimpleRecord(timestamp, bytes(key), value == null ? null : bytes(value), headers));
    }

    /** Seals the active segment, so that all written so far is cleanable. */
    void roll() throws IOException {
        log.local().roll();
    }

    /** The latest record of every key, tombstones included, by offset: what a compacted log must hold. */
    List<TestRecords.ReadRecord> expected() {
        return latest.values().stream().sorted(Comparator.comparingLong(TestRecords.ReadRecord::offset)).toList();
    }

    /** As {@link #expected}, without tombstones: what remains once {@code delete.retention.ms} is over. */
    List<TestRecords.ReadRecord> expectedWithoutTombstones() {
        return expected().stream().filter(r -> r.value() != null).toList();
    }

    static List<TestRecords.ReadRecord> readAll(PartitionLog log) {
        return TestRecords.readAll(log);
    }

    /** The records from the log start offset on, key to record, failing if a key appears twice. */
    static Map<String, TestRecords.ReadRecord> byKey(List<TestRecords.ReadRecord> records) {
        Map<String, TestRecords.ReadRecord> map = new LinkedHashMap<>();
        for (TestRecords.ReadRecord r : records) {
            if (map.put(r.key(), r) != null)
                throw new AssertionError("key " + r.key() + " appears twice: " + records);
        }
        return map;
    }

    List<String> files(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().toList();
        }
    }

    static void copyDirectory(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                if (Files.isRegularFile(file))
                    Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    static List<Long> baseOffsets(PartitionLog log) {
        List<Long> bases = new ArrayList<>();
        for (LogSegment segment : log.local().segments())
            bases.add(segment.baseOffset());
        return bases;
    }
}
