package dev.tributary.broker.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The cleaner's dedupe map: for each key of the dirty part of a log, the offset of its latest record (Kafka's
 * {@code SkimpyOffsetMap}). Keys are not stored, only a 128-bit hash of each (MurmurHash3 x64), so an entry takes
 * {@value #BYTES_PER_ENTRY} bytes whatever the key's size; two keys with the same hash would be taken for one, which
 * for 128 bits is as unlikely as Kafka's MD5 collisions.
 *
 * <p><b>Memory is bounded.</b> The map never holds more than its {@code memoryBytes} allow: {@link #put} refuses a
 * new key once the map is {@code loadFactor} full, and the cleaner then cleans what the map covers and starts
 * another pass for the rest. Within that bound, {@link #reset} sizes the table for the keys one pass can meet (at
 * most one per offset of the range), at most half full, so a small dirty range takes little memory and few probes;
 * {@link #release} drops the table between cleanings.
 *
 * <p>Open addressing with linear probing in one {@code long[]}: per slot the two hash words and the offset plus
 * one (0 marks an empty slot). Not thread-safe: one per cleaner thread.
 */
final class OffsetMap {
    static final int BYTES_PER_ENTRY = 3 * Long.BYTES;
    /** The most memory one map can use: a {@code long[]} of three words per slot stays within array limits. */
    static final long MAX_MEMORY = (Integer.MAX_VALUE - 8L) / 3 * BYTES_PER_ENTRY;
    private static final int MIN_SLOTS = 16;
    /** How full a table sized by {@link #reset} is when every expected key arrives, memory allowing. */
    private static final double SPARSE_LOAD = 0.5;

    private final int maxSlots;
    private final double loadFactor;
    private long[] table = new long[0];
    private int slots;
    private int maxEntries;
    private int entries;

    /**
     * @param memoryBytes the most the table may take; at least two slots ({@value #BYTES_PER_ENTRY} bytes each)
     * @param loadFactor  the share of the slots that may be filled before {@link #put} refuses new keys
     */
    OffsetMap(long memoryBytes, double loadFactor) {
        long max = Math.min(memoryBytes, MAX_MEMORY) / BYTES_PER_ENTRY;
        if (max < 2)
            throw new IllegalArgumentException("An offset map needs at least " + 2 * BYTES_PER_ENTRY + " bytes, not "
                    + memoryBytes);
        if (!(loadFactor > 0 && loadFactor <= 1))
            throw new IllegalArgumentException("Load factor must be in (0, 1], not " + loadFactor);
        this.maxSlots = (int) max;
        this.loadFactor = loadFactor;
    }

    /**
     * Empties the map and sizes its table for up to {@code expectedKeys} distinct keys, within its memory.
     */
    void reset(long expectedKeys) {
        long wanted = Math.max(MIN_SLOTS, (long) Math.ceil(Math.max(0, expectedKeys) / SPARSE_LOAD));
        slots = (int) Math.min(maxSlots, wanted);
        maxEntries = Math.min(slots - 1, Math.max(1, (int) (slots * loadFactor)));
        entries = 0;
        int length = 3 * slots;
        if (table.length >= length && table.length <= 2 * length)
            Arrays.fill(table, 0, length, 0L);
        else
            table = new long[length];
    }

    /** Drops the table, so a thread between cleanings holds no memory for it. */
    void release() {
        table = new long[0];
        slots = 0;
        maxEntries = 0;
        entries = 0;
    }

    /**
     * Records {@code offset} as the latest of {@code key} (offsets are put in increasing order). Reads the key's
     * bytes without moving its position.
     *
     * @return false if the key is new and the map is full: nothing was recorded
     */
    boolean put(ByteBuffer key, long offset) {
        return put(key, key.position(), key.remaining(), offset);
    }

    /** As {@link #put(ByteBuffer, long)}, for the key in bytes {@code [start, start + length)} of {@code buffer}. */
    boolean put(ByteBuffer buffer, int start, int length, long offset) {
        long h1 = hash1(buffer, start, length);
        int at = 3 * slotFor(h1, lastHash2);
        if (table[at + 2] == 0) {
            if (entries >= maxEntries)
                return false;
            table[at] = h1;
            table[at + 1] = lastHash2;
            entries++;
        }
        table[at + 2] = offset + 1;
        return true;
    }

    /** The latest offset recorded for {@code key}, or -1 if none. Reads the key without moving its position. */
    long get(ByteBuffer key) {
        if (entries == 0)
            return -1;
        long h1 = hash1(key, key.position(), key.remaining());
        return table[3 * slotFor(h1, lastHash2) + 2] - 1;
    }

    /** The slot holding the hash {@code h1, h2}, or the empty slot where it would go (there is always one). */
    private int slotFor(long h1, long h2) {
        int slot = (int) Long.remainderUnsigned(h1, slots);
        while (true) {
            int at = 3 * slot;
            if (table[at + 2] == 0 || (table[at] == h1 && table[at + 1] == h2))
                return slot;
            slot = slot + 1 == slots ? 0 : slot + 1;
        }
    }

    /** Distinct keys recorded since the last {@link #reset}. */
    int size() {
        return entries;
    }

    /** How many distinct keys this map can hold at most, whatever {@link #reset} was told. */
    int maxCapacity() {
        return Math.min(maxSlots - 1, Math.max(1, (int) (maxSlots * loadFactor)));
    }

    /** The share of its memory the current table fills with entries, 0 to 1. */
    double utilization() {
        return (double) entries / maxSlots;
    }

    // ---- MurmurHash3 x64 128 (Austin Appleby's public-domain algorithm), seed 0 ----

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    /** The second word of the last hash computed: {@link #hash1} returns the first. */
    private long lastHash2;

    /** Little-endian words at any index of any buffer, whatever its own byte order, without a view object. */
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The hash of bytes {@code [start, start + length)} of {@code b}: returns its first word, sets {@link #lastHash2}. */
    private long hash1(ByteBuffer b, int start, int length) {
        long h1 = 0;
        long h2 = 0;
        int blocks = length / 16;
        for (int i = 0; i < blocks; i++) {
            long k1 = (long) LONGS.get(b, start + 16 * i);
            long k2 = (long) LONGS.get(b, start + 16 * i + 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int tail = start + 16 * blocks;
        int rest = length & 15;
        long k1 = 0;
        long k2 = 0;
        for (int i = rest - 1; i >= 8; i--)
            k2 = (k2 << 8) | (b.get(tail + i) & 0xffL);
        for (int i = Math.min(rest, 8) - 1; i >= 0; i--)
            k1 = (k1 << 8) | (b.get(tail + i) & 0xffL);
        if (rest > 8)
            h2 ^= mixK2(k2);
        if (rest > 0)
            h1 ^= mixK1(k1);
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix(h1);
        h2 = fmix(h2);
        h1 += h2;
        h2 += h1;
        lastHash2 = h2;
        return h1;
    }

    private static long mixK1(long k1) {
        return Long.rotateLeft(k1 * C1, 31) * C2;
    }

    private static long mixK2(long k2) {
        return Long.rotateLeft(k2 * C2, 33) * C1;
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
