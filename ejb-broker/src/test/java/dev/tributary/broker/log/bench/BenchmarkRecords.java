package dev.tributary.broker.log.bench;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/** Shared set-up of the partition-log benchmarks. */
final class BenchmarkRecords {
    private BenchmarkRecords() {
    }

    /** One uncompressed v2 batch of {@code count} records with random {@code size}-byte values and no keys. */
    static MemoryRecords batch(int count, int size, long timestamp) {
        Random random = new Random(count * 31L + size);
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[size];
            random.nextBytes(value);
            records[i] = new SimpleRecord(timestamp, null, value);
        }
        return MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V2, 0L, Compression.NONE, TimestampType.CREATE_TIME,
                records);
    }

    /** A fresh directory for a benchmark's log, under {@code java.io.tmpdir} unless {@code bench.dir} is set. */
    static Path newDataDir() throws IOException {
        String base = System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"));
        return Files.createTempDirectory(Path.of(base), "tributary-log-bench-");
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir))
            return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList())
                Files.deleteIfExists(p);
        }
    }
}
