package dev.tributary.broker.log;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The file format of a producer-state snapshot ({@code <20-digit offset>.snapshot}): every producer entry of a
 * partition as it was once every batch below that offset had been appended. Tributary's own format, modelled on
 * Kafka's, but it keeps all retained batches of a producer (Kafka keeps only the last), so that a retry of any of
 * a producer's last {@value ProducerStateEntry#RETAINED_BATCHES} batches is still recognised after a restart.
 *
 * <pre>
 * version        int16   2
 * crc            uint32  CRC32C of every byte after this field
 * entryCount     int32
 * entryCount times:
 *   producerId            int64
 *   epoch                 int16
 *   lastTimestamp         int64   broker time of the producer's last append or marker
 *   lastOffset            int64   offset of its last batch or marker
 *   coordinatorEpoch      int32   epoch of the coordinator that wrote its last marker, -1 if none
 *   currentTxnFirstOffset int64   first offset of its open transaction, -1 if none
 *   batchCount            int32   0 to 5
 *   batchCount times, oldest first:
 *     firstSeq int32, lastSeq int32, firstOffset int64, lastOffset int64, maxTimestamp int64, logAppendTime int64
 * </pre>
 *
 * <p>Version 1 files (written before transactions were served) lack the three transaction fields and hold 1 to 5
 * batches per producer; they are still read, as producers without a transaction.
 *
 * <p>Files are written atomically (temporary file, fsync, rename, directory fsync), so a crash leaves the old file
 * or the new one; the CRC catches damage done to a file afterwards.
 */
final class ProducerStateSnapshot {
    private static final short VERSION = 2;
    private static final short VERSION_WITHOUT_TRANSACTIONS = 1;
    private static final int CRC_OFFSET = 2;
    private static final int CONTENT_OFFSET = CRC_OFFSET + 4;
    private static final int V1_ENTRY_HEADER_BYTES = 8 + 2 + 8 + 4;
    private static final int ENTRY_HEADER_BYTES = V1_ENTRY_HEADER_BYTES + 8 + 4 + 8;
    private static final int BATCH_BYTES = 4 + 4 + 8 + 8 + 8 + 8;

    private ProducerStateSnapshot() {
    }

    static void write(Path file, Collection<ProducerStateEntry> entries) throws IOException {
        int size = CONTENT_OFFSET + 4;
        for (ProducerStateEntry entry : entries)
            size += ENTRY_HEADER_BYTES + entry.batches().size() * BATCH_BYTES;
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putShort(VERSION).putInt(0).putInt(entries.size());
        for (ProducerStateEntry entry : entries) {
            List<BatchMetadata> batches = entry.batches();
            buffer.putLong(entry.producerId()).putShort(entry.epoch()).putLong(entry.lastTimestamp())
                    .putLong(entry.lastOffset()).putInt(entry.coordinatorEpoch())
                    .putLong(entry.currentTxnFirstOffset()).putInt(batches.size());
            for (BatchMetadata b : batches)
                buffer.putInt(b.firstSeq()).putInt(b.lastSeq()).putLong(b.firstOffset()).putLong(b.lastOffset())
                        .putLong(b.maxTimestamp()).putLong(b.logAppendTime());
        }
        buffer.putInt(CRC_OFFSET, (int) crc(buffer.array(), size));
        buffer.flip();
        LogFiles.writeAtomically(file, buffer);
    }

    /**
     * @throws CorruptSnapshotException if the file fails any check; nothing of it may be used then
     * @throws IOException              if the file cannot be read
     */
    static List<ProducerStateEntry> read(Path file) throws IOException, CorruptSnapshotException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < CONTENT_OFFSET + 4)
            throw new CorruptSnapshotException(file, "only " + bytes.length + " bytes");
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        short version = buffer.getShort();
        if (version != VERSION && version != VERSION_WITHOUT_TRANSACTIONS)
            throw new CorruptSnapshotException(file, "unknown version " + version);
        long storedCrc = Integer.toUnsignedLong(buffer.getInt());
        long computedCrc = crc(bytes, bytes.length);
        if (storedCrc != computedCrc)
            throw new CorruptSnapshotException(file, "CRC is " + computedCrc + ", the file says " + storedCrc);
        try {
            return entries(buffer, file, version == VERSION);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new CorruptSnapshotException(file, "malformed content (" + e + ")");
        }
    }

    private static List<ProducerStateEntry> entries(ByteBuffer buffer, Path file, boolean withTransactions)
            throws CorruptSnapshotException {
        int count = buffer.getInt();
        if (count < 0 || count > buffer.remaining() / (withTransactions ? ENTRY_HEADER_BYTES : V1_ENTRY_HEADER_BYTES))
            throw new CorruptSnapshotException(file, "entry count " + count + " does not fit the file");
        List<ProducerStateEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long producerId = buffer.getLong();
            short epoch = buffer.getShort();
            long lastTimestamp = buffer.getLong();
            long lastOffset = withTransactions ? buffer.getLong() : -1;
            int coordinatorEpoch = withTransactions ? buffer.getInt() : ProducerStateEntry.NO_COORDINATOR_EPOCH;
            long txnFirstOffset = withTransactions ? buffer.getLong() : ProducerStateEntry.NO_TRANSACTION;
            int batchCount = buffer.getInt();
            if (batchCount < (withTransactions ? 0 : 1) || batchCount > ProducerStateEntry.RETAINED_BATCHES)
                throw new CorruptSnapshotException(file, "producer " + producerId + " has " + batchCount + " batches");
            List<BatchMetadata> batches = new ArrayList<>(batchCount);
            for (int b = 0; b < batchCount; b++)
                batches.add(new BatchMetadata(buffer.getInt(), buffer.getInt(), buffer.getLong(), buffer.getLong(),
                        buffer.getLong(), buffer.getLong()));
            entries.add(withTransactions
                    ? new ProducerStateEntry(producerId, epoch, batches, lastTimestamp, lastOffset, coordinatorEpoch,
                            txnFirstOffset)
                    : new ProducerStateEntry(producerId, epoch, batches, lastTimestamp));
        }
        if (buffer.hasRemaining())
            throw new CorruptSnapshotException(file, buffer.remaining() + " bytes after the last entry");
        return entries;
    }

    private static long crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, CONTENT_OFFSET, length - CONTENT_OFFSET);
        return crc.getValue();
    }
}
