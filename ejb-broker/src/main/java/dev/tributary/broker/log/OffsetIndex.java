package dev.tributary.broker.log;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Sparse index from offset to file position of one segment, in Kafka's {@code .index} format: 8-byte entries of
 * (offset relative to the segment's base offset as a 4-byte int, position as a 4-byte int), big-endian.
 *
 * <p>An entry {@code (o, p)} says the batch starting at byte {@code p} has last offset {@code o}. Offsets and
 * positions strictly increase. The segment adds an entry every {@code index.interval.bytes} of appended batches,
 * so finding the batch that contains an offset takes a binary search here plus a scan of at most about that many
 * bytes of batch headers. Concurrency is as described in {@link AbstractIndex}.
 */
final class OffsetIndex extends AbstractIndex {
    static final int ENTRY_SIZE = 8;

    OffsetIndex(Path file, long baseOffset, int maxIndexSize) throws IOException {
        super(file, baseOffset, maxIndexSize);
    }

    @Override
    int entrySize() {
        return ENTRY_SIZE;
    }

    @Override
    long keyOf(MappedByteBuffer buf, int n) {
        return baseOffset() + buf.getInt(n * ENTRY_SIZE);
    }

    private OffsetPosition entry(MappedByteBuffer buf, int n) {
        return new OffsetPosition(baseOffset() + buf.getInt(n * ENTRY_SIZE), buf.getInt(n * ENTRY_SIZE + 4));
    }

    /**
     * The entry with the largest offset at or below {@code targetOffset}, or {@code (baseOffset, 0)} if there is
     * none: the position from which to scan for the batch containing {@code targetOffset}.
     */
    OffsetPosition lookup(long targetOffset) {
        int count = entries();
        MappedByteBuffer buf = buffer();
        int slot = largestSlotBelow(buf, count, targetOffset, false);
        return slot < 0 ? new OffsetPosition(baseOffset(), 0) : entry(buf, slot);
    }

    /**
     * The offset of the first entry whose batch starts at or after byte {@code position}, or empty if there is
     * none: an offset beyond every batch that ends before {@code position}.
     */
    OptionalLong firstOffsetAtOrAfterPosition(int position) {
        int count = entries();
        MappedByteBuffer buf = buffer();
        int lo = 0;
        int hi = count - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (buf.getInt(mid * ENTRY_SIZE + 4) >= position) {
                found = mid;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        return found < 0 ? OptionalLong.empty() : OptionalLong.of(entry(buf, found).offset());
    }

    /** The last entry, or {@code (baseOffset, 0)} if the index is empty. */
    OffsetPosition lastEntry() {
        int count = entries();
        return count == 0 ? new OffsetPosition(baseOffset(), 0) : entry(buffer(), count - 1);
    }

    /** Entry {@code n}; for tests and diagnostics. */
    OffsetPosition entry(int n) {
        if (n < 0 || n >= entries())
            throw new IndexOutOfBoundsException("Entry " + n + " of " + entries() + " in " + file());
        return entry(buffer(), n);
    }

    /**
     * Adds an entry. Writer only.
     *
     * @throws IllegalArgumentException if the entry does not increase offset and position, or the offset does not
     *                                  fit the 4-byte relative form
     * @throws IllegalStateException    if the index is full (the segment should have been rolled)
     */
    void append(long offset, int position) {
        int count = entries();
        if (count > 0) {
            OffsetPosition last = entry(buffer(), count - 1);
            if (offset <= last.offset() || position <= last.position())
                throw new IllegalArgumentException("Offset index entry (" + offset + ", " + position
                        + ") does not follow the last entry " + last + " in " + file());
        }
        long relative = offset - baseOffset();
        if (relative < 0 || relative > Integer.MAX_VALUE)
            throw new IllegalArgumentException("Offset " + offset + " is out of the relative range of segment "
                    + baseOffset() + " in " + file());
        if (isFull())
            throw new IllegalStateException("Offset index " + file() + " is full (" + count + " entries)");
        MappedByteBuffer buf = buffer();
        buf.putInt(nextSlotOffset(), (int) relative);
        buf.putInt(nextSlotOffset() + 4, position);
        incrementEntries();
    }

    /** Drops the entries of batches with offsets at or above {@code offset}. Writer only. */
    void truncateTo(long offset) {
        truncateToEntries(largestSlotBelow(buffer(), entries(), offset, true) + 1);
    }

    @Override
    void sanityCheck(long nextOffset, int logSize) {
        checkLength();
        MappedByteBuffer buf = buffer();
        long previousOffset = -1;
        int previousPosition = -1;
        for (int n = 0; n < entries(); n++) {
            OffsetPosition e = entry(buf, n);
            if (e.offset() <= previousOffset || e.position() <= previousPosition)
                throw corrupt("entry " + n + " " + e + " does not follow the previous entry (offset "
                        + previousOffset + ", position " + previousPosition + ")");
            if (e.offset() >= nextOffset)
                throw corrupt("entry " + n + " " + e + " is at or past the segment's next offset " + nextOffset);
            if (e.position() >= logSize)
                throw corrupt("entry " + n + " " + e + " is past the end of the " + logSize + "-byte data file");
            previousOffset = e.offset();
            previousPosition = e.position();
        }
    }
}
