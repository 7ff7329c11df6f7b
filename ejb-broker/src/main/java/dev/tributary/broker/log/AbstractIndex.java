package dev.tributary.broker.log;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A memory-mapped file of fixed-size entries sorted by key, as Kafka's {@code AbstractIndex}: the base of
 * {@link OffsetIndex} and {@link TimeIndex}.
 *
 * <p>The index of the active segment is preallocated to {@code maxIndexSize} bytes and filled from the front;
 * when its segment stops being active (roll, close) it is trimmed to its entries, so a trimmed file's length is
 * exactly {@code entries * entrySize}. An untrimmed file on open means the process stopped uncleanly; its
 * contents are then not trusted (the loader rebuilds or sanity-checks them).
 *
 * <p>Concurrency: only the log's single writer (or the loader, before the log is published) mutates an index.
 * Readers never lock. The writer stores an entry's bytes and then increments the volatile {@link #entries}
 * count, so a reader that reads the count first sees complete entries only. Resizing maps the file again and
 * publishes the new mapping through a volatile field; the old mapping stays valid for every slot below the
 * entry count because the file never shrinks below {@code entries * entrySize}. Mappings are not unmapped
 * explicitly (a reader could still be using one); the garbage collector releases them.
 */
abstract class AbstractIndex implements Closeable {
    private final long baseOffset;
    private final int maxIndexSize;
    private volatile Path file;
    private volatile MappedByteBuffer mmap;
    private volatile int entries;

    /**
     * Opens or creates the index file. A new file is preallocated to {@code maxIndexSize} (rounded down to whole
     * entries); an existing file is mapped at its current length and all its whole entries are taken as valid,
     * subject to {@link #sanityCheck}.
     */
    AbstractIndex(Path file, long baseOffset, int maxIndexSize) throws IOException {
        this.file = file;
        this.baseOffset = baseOffset;
        this.maxIndexSize = maxIndexSize;
        boolean newlyCreated = !Files.exists(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            if (newlyCreated)
                raf.setLength(roundDownToEntries(maxIndexSize));
            long length = raf.length();
            if (length > Integer.MAX_VALUE)
                throw new CorruptIndexException("Index file " + file + " is " + length + " bytes, larger than 2 GiB");
            this.mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length);
            this.entries = newlyCreated ? 0 : (int) (length / entrySize());
        }
    }

    /** Bytes per entry. */
    abstract int entrySize();

    /**
     * Checks the entries for internal consistency and against the segment they index, throwing
     * {@link CorruptIndexException} with what is wrong. Also fails if the file length is not a whole number of
     * entries.
     *
     * @param nextOffset the offset after the segment's last record
     * @param logSize    the size of the segment's data file
     */
    abstract void sanityCheck(long nextOffset, int logSize) throws IOException;

    final long baseOffset() {
        return baseOffset;
    }

    final Path file() {
        return file;
    }

    /** Number of valid entries. */
    final int entries() {
        return entries;
    }

    /** How many entries the current mapping holds. */
    final int maxEntries() {
        return mmap.limit() / entrySize();
    }

    /** Size of the file in bytes. */
    final int length() {
        return mmap.limit();
    }

    /** Whether no further entry fits. */
    boolean isFull() {
        return entries >= maxEntries();
    }

    /** The mapping readers should use; stable for slots below the entry count read before it. */
    final MappedByteBuffer buffer() {
        return mmap;
    }

    /** Slot of the next entry; writer only. */
    final int nextSlotOffset() {
        return entries * entrySize();
    }

    /** Publishes one more entry whose bytes the writer has just stored. */
    final void incrementEntries() {
        entries = entries + 1;
    }

    /**
     * Binary search for the largest slot whose key is at or below {@code target} (or strictly below, if
     * {@code strictlyBelow}), among the first {@code count} slots. Returns -1 if there is none.
     */
    final int largestSlotBelow(MappedByteBuffer buf, int count, long target, boolean strictlyBelow) {
        int lo = 0;
        int hi = count - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long key = keyOf(buf, mid);
            boolean below = strictlyBelow ? key < target : key <= target;
            if (below) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** The search key (absolute offset or timestamp) stored in slot {@code n}. */
    abstract long keyOf(MappedByteBuffer buf, int n);

    /**
     * Forgets the entries from slot {@code n} on, because the log was truncated below them. Writer only; a reader
     * that read the old count may still look at the dropped slots until new entries overwrite them, as in Kafka.
     */
    final void truncateToEntries(int n) {
        if (n < entries)
            entries = n;
    }

    /** Forgets all entries and grows the file back to {@code maxIndexSize}; used before a rebuild. */
    final void reset() throws IOException {
        entries = 0;
        resize(maxIndexSize);
    }

    /**
     * Resizes the file to {@code newSize} rounded down to whole entries (never below the valid entries) and maps
     * it again. Writer only.
     */
    final void resize(int newSize) throws IOException {
        int size = Math.max(roundDownToEntries(newSize), entries * entrySize());
        if (size == mmap.limit())
            return;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
            this.mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
    }

    /** Shrinks the file to exactly its entries: done when the segment stops being active. */
    final void trimToValidSize() throws IOException {
        resize(entries * entrySize());
    }

    /** Grows a trimmed index back to {@code maxIndexSize} so it can take entries again (it became active). */
    final void makeAppendable() throws IOException {
        resize(maxIndexSize);
    }

    /** Writes dirty pages of the mapping to disk. */
    final void flush() {
        mmap.force();
    }

    /** Renames the file, for example to its {@code .deleted} name; the mapping stays usable. */
    final void renameTo(Path target) throws IOException {
        Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
        file = target;
    }

    final boolean deleteIfExists() throws IOException {
        return Files.deleteIfExists(file);
    }

    /** Trims the file; the mapping itself is left to the garbage collector (see the class comment). */
    @Override
    public void close() throws IOException {
        if (Files.exists(file))
            trimToValidSize();
    }

    private int roundDownToEntries(int size) {
        return size - (size % entrySize());
    }

    final CorruptIndexException corrupt(String problem) {
        return new CorruptIndexException("Index file " + file + " (" + entries + " entries) is corrupt: " + problem);
    }

    final void checkLength() {
        if (mmap.limit() % entrySize() != 0)
            throw corrupt("length " + mmap.limit() + " is not a multiple of the entry size " + entrySize());
    }
}
