package dev.tributary.broker.log;

import org.apache.kafka.common.record.internal.RecordBatch;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * Index from timestamp to offset of one segment, in Kafka's {@code .timeindex} format: 12-byte entries of
 * (timestamp as an 8-byte long, offset relative to the segment's base offset as a 4-byte int), big-endian.
 *
 * <p>An entry {@code (t, o)} says that {@code t} was the largest timestamp in the segment up to and including
 * offset {@code o}, so every record at or below {@code o} has a timestamp {@code <= t}. Timestamps strictly
 * increase and offsets never decrease. Entries are added with the offset index and, when the segment stops
 * being active, once more with the segment's final largest timestamp, which is therefore the last entry of
 * every inactive segment's time index (Kafka does the same; the last slot is reserved for it, see
 * {@link #isFull()}). Concurrency is as described in {@link AbstractIndex}.
 */
final class TimeIndex extends AbstractIndex {
    static final int ENTRY_SIZE = 12;

    TimeIndex(Path file, long baseOffset, int maxIndexSize) throws IOException {
        super(file, baseOffset, maxIndexSize);
    }

    @Override
    int entrySize() {
        return ENTRY_SIZE;
    }

    @Override
    long keyOf(MappedByteBuffer buf, int n) {
        return buf.getLong(n * ENTRY_SIZE);
    }

    private TimestampOffset entry(MappedByteBuffer buf, int n) {
        return new TimestampOffset(buf.getLong(n * ENTRY_SIZE), baseOffset() + buf.getInt(n * ENTRY_SIZE + 8));
    }

    /** Full one entry early: the last slot is kept for the entry added when the segment becomes inactive. */
    @Override
    boolean isFull() {
        return entries() >= maxEntries() - 1;
    }

    /**
     * The entry with the largest timestamp strictly below {@code targetTimestamp}, or
     * {@code (NO_TIMESTAMP, baseOffset)} if there is none. Every record at or below the returned offset has a
     * timestamp below the target, so a search for the first record at or after the target may start at the
     * batch containing that offset. (Kafka's lookup uses {@code <=}, which can skip an earlier record whose
     * timestamp equals the target; strictly-below cannot.)
     */
    TimestampOffset lookupBefore(long targetTimestamp) {
        int count = entries();
        MappedByteBuffer buf = buffer();
        int slot = largestSlotBelow(buf, count, targetTimestamp, true);
        return slot < 0 ? new TimestampOffset(RecordBatch.NO_TIMESTAMP, baseOffset()) : entry(buf, slot);
    }

    /** The last entry, or {@code (NO_TIMESTAMP, baseOffset)} if the index is empty. */
    TimestampOffset lastEntry() {
        int count = entries();
        return count == 0 ? new TimestampOffset(RecordBatch.NO_TIMESTAMP, baseOffset()) : entry(buffer(), count - 1);
    }

    /** Entry {@code n}; for tests and diagnostics. */
    TimestampOffset entry(int n) {
        if (n < 0 || n >= entries())
            throw new IndexOutOfBoundsException("Entry " + n + " of " + entries() + " in " + file());
        return entry(buffer(), n);
    }

    /**
     * Adds {@code (timestamp, offset)} if {@code timestamp} is larger than the last entry's. Writer only.
     *
     * @param skipFullCheck use the reserved last slot (only when the segment becomes inactive)
     */
    void maybeAppend(long timestamp, long offset, boolean skipFullCheck) {
        if (timestamp < 0)
            return; // records without timestamps are not indexed
        int count = entries();
        if (count > 0) {
            TimestampOffset last = entry(buffer(), count - 1);
            if (timestamp <= last.timestamp())
                return;
            if (offset < last.offset())
                throw new IllegalArgumentException("Time index entry (" + timestamp + ", " + offset
                        + ") has an offset below the last entry " + last + " in " + file());
        }
        long relative = offset - baseOffset();
        if (relative < 0 || relative > Integer.MAX_VALUE)
            throw new IllegalArgumentException("Offset " + offset + " is out of the relative range of segment "
                    + baseOffset() + " in " + file());
        if (skipFullCheck ? count >= maxEntries() : isFull())
            throw new IllegalStateException("Time index " + file() + " is full (" + count + " entries)");
        MappedByteBuffer buf = buffer();
        buf.putLong(nextSlotOffset(), timestamp);
        buf.putInt(nextSlotOffset() + 8, (int) relative);
        incrementEntries();
    }

    /**
     * Drops the entries that point at offsets at or above {@code offset}. Their offsets do not decrease, so they
     * are the last ones. Writer only.
     */
    void truncateTo(long offset) {
        MappedByteBuffer buf = buffer();
        int keep = entries();
        while (keep > 0 && entry(buf, keep - 1).offset() >= offset)
            keep--;
        truncateToEntries(keep);
    }

    @Override
    void sanityCheck(long nextOffset, int logSize) {
        checkLength();
        MappedByteBuffer buf = buffer();
        long previousTimestamp = Long.MIN_VALUE;
        long previousOffset = baseOffset();
        for (int n = 0; n < entries(); n++) {
            TimestampOffset e = entry(buf, n);
            if (e.timestamp() < 0 || e.timestamp() <= previousTimestamp || e.offset() < previousOffset)
                throw corrupt("entry " + n + " " + e + " does not follow the previous entry (timestamp "
                        + previousTimestamp + ", offset " + previousOffset + ")");
            if (e.offset() >= nextOffset)
                throw corrupt("entry " + n + " " + e + " is at or past the segment's next offset " + nextOffset);
            previousTimestamp = e.timestamp();
            previousOffset = e.offset();
        }
    }
}
