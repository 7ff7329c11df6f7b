package dev.tributary.broker.log;

import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Records;

/**
 * The result of {@link PartitionLog#read(long, int, FetchIsolation)}.
 *
 * <p>{@code records} is normally a zero-copy {@code FileRecords} slice of one segment file that starts at the
 * boundary of the batch containing {@code fetchOffset}; that batch may therefore hold records below
 * {@code fetchOffset}, which a consumer skips (as Kafka consumers do). The slice is cut at {@code maxBytes},
 * so — exactly as in Kafka — its last batch may be partial; {@code records.batches()} stops before a partial
 * batch. The first batch is always complete, even when it is larger than {@code maxBytes}.
 *
 * <p>The slice shares the segment's open file channel: it stays readable after retention removes the segment
 * for at least {@code file.delete.delay.ms}, and until the log is closed.
 *
 * <p>The slice never goes past the read's bound (the last stable offset for read_committed consumers, the high
 * watermark for read_uncommitted ones, the log end offset for replica fetches).
 *
 * @param fetchOffset         the offset the read was asked for
 * @param records             the data; {@link MemoryRecords#EMPTY} when reading at or beyond the bound
 * @param abortedTransactions for a {@link FetchIsolation#TXN_COMMITTED} read, the aborted transactions that overlap
 *                            the records (possibly a few beyond them), whose records the consumer drops; empty
 *                            otherwise
 */
public record FetchDataInfo(long fetchOffset, Records records, List<AbortedTxn> abortedTransactions) {

    public FetchDataInfo {
        Objects.requireNonNull(records, "records");
        abortedTransactions = List.copyOf(abortedTransactions);
    }

    public FetchDataInfo(long fetchOffset, Records records) {
        this(fetchOffset, records, List.of());
    }

    /** A read at or beyond its bound: nothing to return yet. */
    public static FetchDataInfo empty(long fetchOffset) {
        return new FetchDataInfo(fetchOffset, MemoryRecords.EMPTY);
    }

    /** This read with the aborted transactions among its records. */
    FetchDataInfo withAbortedTransactions(List<AbortedTxn> aborted) {
        return new FetchDataInfo(fetchOffset, records, aborted);
    }
}
