package dev.tributary.broker.log.bench;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * The compaction benchmark's data, the same for every broker and cleaner it is run against: 1 GiB of 1 KiB records
 * (1,048,576 records with a 1,024-byte value) over 100,000 keys. The first 100,000 records write every key once;
 * every later record overwrites a key of the hot half (keys 50,000 to 99,999, round-robin, so each hot key is
 * written about 20 times), and every 18th of those is a tombstone (null value): 5 % of all records. Values are
 * random bytes (incompressible), keys {@code key-NNNNNN}.
 */
final class CompactionWorkload {
    static final int KEYS = 100_000;
    static final int HOT_KEYS = KEYS / 2;
    static final int VALUE_BYTES = 1024;
    static final long RECORDS = 1L << 20;
    /** Records per batch, as a producer with a little linger would send them. */
    static final int BATCH_RECORDS = 16;

    private final long records;
    private final byte[][] values = new byte[64][];

    /** @param scale share of {@link #RECORDS} to write (1.0: 1 GiB) */
    CompactionWorkload(double scale) {
        this.records = Math.max(KEYS + HOT_KEYS, (long) (RECORDS * scale));
        Random random = new Random(42);
        for (int i = 0; i < values.length; i++) {
            values[i] = new byte[VALUE_BYTES];
            random.nextBytes(values[i]);
        }
    }

    long records() {
        return records;
    }

    /** The key of record {@code i}. */
    static int keyOf(long i) {
        return i < KEYS ? (int) i : HOT_KEYS + (int) ((i - KEYS) % HOT_KEYS);
    }

    static boolean isTombstone(long i) {
        return i >= KEYS && (i - KEYS) % 18 == 17;
    }

    static byte[] key(long i) {
        return String.format("key-%06d", keyOf(i)).getBytes(StandardCharsets.US_ASCII);
    }

    /** The value of record {@code i}, or null for a tombstone. */
    byte[] value(long i) {
        return isTombstone(i) ? null : values[(int) (i % values.length)];
    }

    /** The batch of records {@code from} to {@code from + count - 1}, offsets from 0 as a producer sends them. */
    MemoryRecords batch(long from, int count, long timestamp) {
        SimpleRecord[] batch = new SimpleRecord[count];
        for (int j = 0; j < count; j++)
            batch[j] = new SimpleRecord(timestamp, key(from + j), value(from + j));
        return MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V2, 0L, Compression.NONE, TimestampType.CREATE_TIME,
                batch);
    }

    /** How many records of the whole run keep a key's latest value (live keys) and how many are its tombstone. */
    long[] expectedLatest() {
        boolean[] deleted = new boolean[KEYS];
        for (long i = 0; i < records; i++)
            deleted[keyOf(i)] = isTombstone(i);
        long tombstones = 0;
        for (boolean d : deleted)
            tombstones += d ? 1 : 0;
        return new long[]{KEYS - tombstones, tombstones};
    }
}
