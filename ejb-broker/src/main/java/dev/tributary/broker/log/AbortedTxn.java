package dev.tributary.broker.log;

import java.nio.ByteBuffer;

/**
 * One aborted transaction of a partition, as the {@link TransactionIndex} keeps it (Kafka's {@code AbortedTxn}):
 * what a read_committed consumer needs to drop the transaction's records.
 *
 * <p>On disk an entry is {@value #SIZE} bytes, big-endian, as in Kafka's {@code .txnindex}: version (int16, 0),
 * producer id (int64), first offset (int64), last offset (int64), last stable offset (int64).
 *
 * @param producerId       the transaction's producer
 * @param firstOffset      offset of its first record in this partition
 * @param lastOffset       offset of its abort marker
 * @param lastStableOffset the partition's last stable offset once the marker was written: the first offset of the
 *                         next open transaction, or the offset after the marker; a search for aborted transactions
 *                         overlapping a range may stop at an entry whose value reaches the range's end
 */
public record AbortedTxn(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {

    static final short VERSION = 0;
    static final int SIZE = 2 + 8 + 8 + 8 + 8;

    void writeTo(ByteBuffer buffer) {
        buffer.putShort(VERSION).putLong(producerId).putLong(firstOffset).putLong(lastOffset)
                .putLong(lastStableOffset);
    }

    /** Reads one entry at the buffer's position. */
    static AbortedTxn readFrom(ByteBuffer buffer) {
        short version = buffer.getShort();
        if (version != VERSION)
            throw new CorruptIndexException("aborted transaction entry of version " + version + "; only version "
                    + VERSION + " is known");
        return new AbortedTxn(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong());
    }
}
