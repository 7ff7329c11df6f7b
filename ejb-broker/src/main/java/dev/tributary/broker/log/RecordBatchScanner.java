package dev.tributary.broker.log;

import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Iterator;
import java.util.Optional;

/**
 * Walks the record batches of one segment's data file and validates each completely: length field, magic byte
 * (only v2 is accepted), CRC32C, offsets increasing and within the segment's 4-byte relative range. Used by
 * recovery, where nothing in the file is trusted yet. (Kafka's {@code FileRecords.batches()} is not enough here:
 * it silently stops at a truncated batch and checks no CRC.)
 *
 * <p>The file is read in large chunks, so a scan costs about one read per megabyte, not per batch. A scanner can
 * also check bytes already in memory (a read that was copied for decoding), reporting file positions as well.
 * Not thread-safe; one scanner per scan.
 */
final class RecordBatchScanner {
    private static final int CHUNK_SIZE = 1 << 20;
    /** Smallest value of a v2 batch's length field (the batch header without the offset and length fields). */
    private static final int MIN_BATCH_LENGTH = DefaultRecordBatch.RECORD_BATCH_OVERHEAD - Records.LOG_OVERHEAD;

    /** Receives each valid batch in file order; the batch is only valid during the call. */
    @FunctionalInterface
    interface BatchVisitor {
        void accept(RecordBatch batch, int position);
    }

    /**
     * Where and why a scan stopped before the end of the file.
     *
     * @param position            byte position of the first bad batch
     * @param description         what is wrong with it
     * @param claimedOffsetRange  the offsets its header claims, if the header was readable (a hint for the
     *                            operator; the header itself may be what is damaged)
     * @param incomplete          whether the bytes simply end inside the batch (a torn write, or a read that was cut
     *                            off there) rather than holding a batch that fails a check
     */
    record Damage(int position, String description, String claimedOffsetRange, boolean incomplete)
            implements Checked {
    }

    /** The outcome of checking one position: a valid batch or the damage found there. */
    private sealed interface Checked permits Damage, Valid {
    }

    private record Valid(RecordBatch batch) implements Checked {
    }

    /**
     * The outcome of a scan.
     *
     * @param validBytes            bytes from where the scan started up to the first bad batch (to the end of the
     *                              file if all batches are good)
     * @param validBatches          number of good batches
     * @param nextOffset            offset after the last good batch; if there is none, the segment's base offset
     *                              (or the smallest offset {@link #scanFrom} was told to expect)
     * @param damage                why the scan stopped early, or empty if the whole file is valid
     */
    record Result(int validBytes, int validBatches, long nextOffset, Optional<Damage> damage) {
    }

    /** A batch found further in the file by {@link #findValidBatchAfter}. */
    record FoundBatch(int position, long baseOffset, long lastOffset) {
    }

    private final FileChannel channel;
    private final int fileSize;
    private final long segmentBaseOffset;
    private ByteBuffer window = ByteBuffer.allocate(0);
    private int windowStart;

    RecordBatchScanner(FileChannel channel, int fileSize, long segmentBaseOffset) {
        this.channel = channel;
        this.fileSize = fileSize;
        this.segmentBaseOffset = segmentBaseOffset;
    }

    /**
     * A scanner of bytes in memory: {@code bytes} (from its position to its limit) are the file's bytes from
     * {@code firstPosition} on, and the file ends where they end. Only {@link #scanFrom} that position makes sense.
     */
    RecordBatchScanner(ByteBuffer bytes, int firstPosition, long segmentBaseOffset) {
        this.channel = null;
        this.window = bytes.slice();
        this.windowStart = firstPosition;
        this.fileSize = firstPosition + window.limit();
        this.segmentBaseOffset = segmentBaseOffset;
    }

    /** Validates every batch from the start of the file, stopping at the first bad one. */
    Result scan(BatchVisitor visitor) throws IOException {
        return scanFrom(0, segmentBaseOffset, visitor);
    }

    /**
     * Validates every batch from byte {@code from} (where a batch starts) to the end, stopping at the first bad one;
     * the first batch's base offset must be at least {@code minOffset}. The result's valid bytes and next offset count
     * from {@code from}: bytes up to the first bad batch, and the offset after the last good one ({@code minOffset}
     * if there is none).
     */
    Result scanFrom(int from, long minOffset, BatchVisitor visitor) throws IOException {
        int position = from;
        int batches = 0;
        long nextOffset = minOffset;
        while (position < fileSize) {
            Checked checked = check(position, nextOffset);
            if (checked instanceof Damage damage)
                return new Result(position - from, batches, nextOffset, Optional.of(damage));
            RecordBatch batch = ((Valid) checked).batch();
            visitor.accept(batch, position);
            batches++;
            nextOffset = batch.lastOffset() + 1;
            position += batch.sizeInBytes();
        }
        return new Result(position - from, batches, nextOffset, Optional.empty());
    }

    /**
     * Looks for any valid batch that starts after {@code from} and has offsets at or above {@code minOffset}: if
     * there is one, data after a bad batch is still intact, so the bad batch is not a torn tail. The search is
     * byte by byte because the bad batch's length field cannot be trusted; cheap header checks reject almost every
     * position before a CRC is computed.
     */
    Optional<FoundBatch> findValidBatchAfter(int from, long minOffset) throws IOException {
        long maxPlausibleOffset = minOffset + fileSize; // every record takes at least one byte
        for (int position = from; position <= fileSize - DefaultRecordBatch.RECORD_BATCH_OVERHEAD; position++) {
            ensureWindow(position, DefaultRecordBatch.RECORD_BATCH_OVERHEAD);
            int at = position - windowStart;
            if (window.get(at + Records.MAGIC_OFFSET) != RecordBatch.MAGIC_VALUE_V2)
                continue;
            int length = window.getInt(at + Records.SIZE_OFFSET);
            if (length < MIN_BATCH_LENGTH || length > fileSize - position - Records.LOG_OVERHEAD)
                continue;
            long baseOffset = window.getLong(at + Records.OFFSET_OFFSET);
            if (baseOffset < minOffset || baseOffset > maxPlausibleOffset)
                continue;
            if (check(position, minOffset) instanceof Valid valid)
                return Optional.of(new FoundBatch(position, valid.batch().baseOffset(), valid.batch().lastOffset()));
        }
        return Optional.empty();
    }

    /** Either the valid batch at {@code position} or the {@link Damage} found there. */
    private Checked check(int position, long minBaseOffset) throws IOException {
        int remaining = fileSize - position;
        if (remaining < Records.LOG_OVERHEAD)
            return new Damage(position, "only " + remaining + " bytes left, less than a batch's offset and length"
                    + " fields (truncated write?)", "unknown", true);
        ensureWindow(position, Records.LOG_OVERHEAD);
        long baseOffset = window.getLong(position - windowStart + Records.OFFSET_OFFSET);
        int length = window.getInt(position - windowStart + Records.SIZE_OFFSET);
        if (length < MIN_BATCH_LENGTH)
            return new Damage(position, "batch length field " + length + " is below the minimum " + MIN_BATCH_LENGTH,
                    "from " + baseOffset + " (unverified)", false);
        if (length > remaining - Records.LOG_OVERHEAD)
            return new Damage(position, "batch of " + (length + Records.LOG_OVERHEAD) + " bytes extends past the end"
                    + " of the file, where only " + remaining + " bytes are left (truncated write?)",
                    "from " + baseOffset + " (unverified)", true);
        int size = length + Records.LOG_OVERHEAD;
        ensureWindow(position, size);
        ByteBuffer bytes = window.duplicate();
        bytes.position(position - windowStart).limit(position - windowStart + size);
        bytes = bytes.slice();
        byte magic = bytes.get(Records.MAGIC_OFFSET);
        if (magic != RecordBatch.MAGIC_VALUE_V2)
            return new Damage(position, "magic byte is " + magic + ", expected " + RecordBatch.MAGIC_VALUE_V2,
                    "from " + baseOffset + " (unverified)", false);
        Iterator<MutableRecordBatch> it = MemoryRecords.readableRecords(bytes).batches().iterator();
        MutableRecordBatch batch = it.next();
        String claimed = batch.baseOffset() + ".." + batch.lastOffset() + " (unverified)";
        try {
            batch.ensureValid();
        } catch (CorruptRecordException e) {
            return new Damage(position, e.getMessage(), claimed, false);
        }
        if (batch.baseOffset() < minBaseOffset)
            return new Damage(position, "batch base offset " + batch.baseOffset() + " is below " + minBaseOffset
                    + ", the offset after the previous batch", claimed, false);
        if (batch.lastOffset() < batch.baseOffset())
            return new Damage(position, "batch last offset " + batch.lastOffset() + " is below its base offset "
                    + batch.baseOffset(), claimed, false);
        if (batch.lastOffset() - segmentBaseOffset > Integer.MAX_VALUE)
            return new Damage(position, "batch last offset " + batch.lastOffset() + " does not fit the relative"
                    + " offsets of segment " + segmentBaseOffset, claimed, false);
        return new Valid(batch);
    }

    /** Makes bytes {@code [position, position + length)} of the file available in {@link #window}. */
    private void ensureWindow(int position, int length) throws IOException {
        if (position >= windowStart && position + length <= windowStart + window.limit())
            return;
        int capacity = Math.max(CHUNK_SIZE, length);
        if (window.capacity() < capacity)
            window = ByteBuffer.allocate(capacity);
        window.clear();
        window.limit(Math.min(capacity, fileSize - position));
        long filePosition = position;
        while (window.hasRemaining()) {
            int read = channel.read(window, filePosition);
            if (read < 0)
                throw new EOFException("Unexpected end of " + fileSize + "-byte segment file at position "
                        + filePosition);
            filePosition += read;
        }
        window.flip();
        windowStart = position;
    }
}
