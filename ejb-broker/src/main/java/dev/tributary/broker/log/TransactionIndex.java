package dev.tributary.broker.log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;

/**
 * The aborted transactions whose abort markers lie in one segment (Kafka's {@code TransactionIndex}, file
 * {@code <base>.txnindex} in Kafka's format, see {@link AbortedTxn}), in marker order. A read_committed fetch asks it
 * which aborted transactions overlap the offsets it returns ({@link #collect}); a transaction may start in an
 * earlier segment than its marker, which is why the search runs on into later segments until an entry's last stable
 * offset shows that nothing later can overlap.
 *
 * <p>Aborts are rare, so the entries are also kept in memory, and the file is created only with the first entry.
 * It is written as markers are appended and fsynced with the segment's data ({@link #flush}), so below the recovery
 * point it is complete; above it the loader rebuilds it from the batches ({@link #reset}).
 *
 * <p>Concurrency: only the log's single writer (or the loader before the log is published) changes it; readers
 * never lock: every change publishes a new immutable array of entries through a volatile field.
 */
final class TransactionIndex implements Closeable {

    /**
     * The result of a search.
     *
     * @param aborted  the aborted transactions overlapping the range
     * @param complete whether no later segment can hold another one
     */
    record SearchResult(List<AbortedTxn> aborted, boolean complete) {
    }

    private static final Logger LOG = Logger.getLogger(TransactionIndex.class.getName());
    private static final AbortedTxn[] NONE = new AbortedTxn[0];

    private final long baseOffset;
    private volatile Path file;
    private volatile AbortedTxn[] entries;
    /** Set by the writer; null until the file is opened or created. */
    private volatile FileChannel channel;
    /** Whether entries were written since the last fsync. */
    private volatile boolean dirty;

    /**
     * Opens the index of the segment at {@code baseOffset}, reading the entries of {@code file} if it exists. The
     * file is cut back to its last sound entry: a torn last entry (a crash while writing it), or entries that do
     * not follow each other or lie below the segment, are dropped with a warning.
     */
    TransactionIndex(Path file, long baseOffset) throws IOException {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entries = NONE;
        if (Files.exists(file)) {
            FileChannel opened = open(file);
            channel = opened;
            long size = opened.size();
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size, Integer.MAX_VALUE));
            while (buffer.hasRemaining() && opened.read(buffer, buffer.position()) >= 0) {
                // read the whole file
            }
            buffer.flip();
            List<AbortedTxn> read = new ArrayList<>();
            try {
                while (buffer.remaining() >= AbortedTxn.SIZE) {
                    AbortedTxn next = AbortedTxn.readFrom(buffer);
                    long previous = read.isEmpty() ? -1 : read.get(read.size() - 1).lastOffset();
                    if (next.lastOffset() < baseOffset || next.lastOffset() <= previous)
                        throw new CorruptIndexException("entry " + next + " is below the segment or out of order");
                    read.add(next);
                }
            } catch (CorruptIndexException e) {
                LOG.warning(() -> "Transaction index " + file + ": " + e.getMessage() + "; keeping the "
                        + read.size() + " entries before it");
            }
            if ((long) read.size() * AbortedTxn.SIZE != size)
                opened.truncate((long) read.size() * AbortedTxn.SIZE);
            entries = read.toArray(NONE);
        }
    }

    private static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    Path file() {
        return file;
    }

    boolean isEmpty() {
        return entries.length == 0;
    }

    /** The entries, in marker order. */
    List<AbortedTxn> all() {
        return List.of(entries);
    }

    /**
     * Adds the entry of a transaction whose abort marker was just appended to the segment. Writer only.
     *
     * @throws IllegalArgumentException if its marker does not come after the last entry's
     */
    void append(AbortedTxn aborted) throws IOException {
        AbortedTxn[] current = entries;
        if (current.length > 0 && current[current.length - 1].lastOffset() >= aborted.lastOffset())
            throw new IllegalArgumentException("Aborted transaction " + aborted + " does not follow "
                    + current[current.length - 1] + " in " + file);
        FileChannel writeTo = channel;
        if (writeTo == null) {
            writeTo = open(file);
            channel = writeTo;
        }
        ByteBuffer buffer = ByteBuffer.allocate(AbortedTxn.SIZE);
        aborted.writeTo(buffer);
        buffer.flip();
        long position = (long) current.length * AbortedTxn.SIZE;
        while (buffer.hasRemaining())
            position += writeTo.write(buffer, position);
        AbortedTxn[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = aborted;
        entries = next;
        dirty = true;
    }

    /**
     * The aborted transactions that overlap the offsets {@code [fetchOffset, upperBound)}: those whose marker is at
     * or after {@code fetchOffset} and whose first record is before {@code upperBound}.
     */
    SearchResult collect(long fetchOffset, long upperBound) {
        List<AbortedTxn> found = new ArrayList<>();
        for (AbortedTxn aborted : entries) {
            if (aborted.lastOffset() >= fetchOffset && aborted.firstOffset() < upperBound)
                found.add(aborted);
            if (aborted.lastStableOffset() >= upperBound)
                return new SearchResult(found, true);
        }
        return new SearchResult(found, false);
    }

    /** Drops the entries of markers at or above {@code offset}. Writer only. */
    void truncateTo(long offset) throws IOException {
        AbortedTxn[] current = entries;
        int keep = 0;
        while (keep < current.length && current[keep].lastOffset() < offset)
            keep++;
        if (keep == current.length)
            return;
        entries = Arrays.copyOf(current, keep);
        FileChannel open = channel;
        if (open != null) {
            open.truncate((long) keep * AbortedTxn.SIZE);
            open.force(true);
        }
    }

    /** Drops every entry, for the loader to rebuild them. Writer only. */
    void reset() throws IOException {
        truncateTo(Long.MIN_VALUE);
    }

    /** Makes the entries written so far durable. Called by the log's fsyncs, concurrently with the writer. */
    void flush() throws IOException {
        FileChannel current = channel;
        if (dirty && current != null) {
            dirty = false;
            current.force(true);
        }
    }

    /**
     * Renames the file (if it exists yet) to {@code target}, replacing what is there, as the other indexes are
     * renamed: a segment that replaced another at the same base offset is renamed {@code .deleted} while the
     * replaced one's files may still wait there for their delay. Later writes go to {@code target}.
     */
    void renameTo(Path target) throws IOException {
        if (Files.exists(file))
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
        file = target;
    }

    void deleteIfExists() throws IOException {
        close();
        Files.deleteIfExists(file);
    }

    @Override
    public void close() throws IOException {
        FileChannel current = channel;
        channel = null;
        if (current != null)
            current.close();
    }
}
