package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;

import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Reads of one partition log, bounded by what the reader may see ({@link FetchIsolation}): the log end for replicas,
 * the high watermark for read_uncommitted consumers, the last stable offset for read_committed ones, with the
 * aborted transactions among the records named. The contracts are written on {@link PartitionLog#read} and
 * {@link PartitionLog#readVerified}.
 *
 * <p><b>Concurrency.</b> Any thread; never locks and never waits for a writer. Every bound is read from values the
 * writer publishes (the {@link LocalLog}'s log end, the {@link HighWatermark}, the producers' unstable offsets), so a
 * read sees whole appended batches only; a segment that retention removes meanwhile shows as a moved log start.
 */
final class LogReads {
    private final TopicPartition topicPartition;
    private final LocalLog local;
    private final HighWatermark highWatermark;
    private final PartitionProducers producers;
    private final LogDamage damage;
    private final LongSupplier logStartOffset;

    LogReads(TopicPartition topicPartition, LocalLog local, HighWatermark highWatermark, PartitionProducers producers,
             LogDamage damage, LongSupplier logStartOffset) {
        this.topicPartition = topicPartition;
        this.local = local;
        this.highWatermark = highWatermark;
        this.producers = producers;
        this.damage = damage;
        this.logStartOffset = logStartOffset;
    }

    /** See {@link PartitionLog#readVerified(long, int, FetchIsolation)}. */
    FetchDataInfo readVerified(long startOffset, int maxBytes, FetchIsolation isolation) {
        for (int attempt = 1; ; attempt++) {
            long truncations = local.truncations();
            try {
                return read(startOffset, maxBytes, isolation, true);
            } catch (DamagedBatchException e) {
                CorruptBatch found = damage.found(e.segment(), e.damage(), e.offset(), "a read that decodes records");
                if (damage.recordIfUnchanged(e.segment(), truncations, found))
                    throw new LogCorruptionException(damage.known().orElse(found));
                if (attempt == 2) // truncated under both reads: the bytes read were being rewritten
                    throw new KafkaStorageException("Partition " + topicPartition + " was truncated while offset "
                            + startOffset + " was read; try again");
            }
        }
    }

    /** See {@link PartitionLog#read(long, int, FetchIsolation)}; {@code verified}: as {@link #readVerified}. */
    FetchDataInfo read(long startOffset, int maxBytes, FetchIsolation isolation, boolean verified) {
        if (maxBytes < 0)
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        local.ensureOpen();
        damage.ensureIntact();
        LogOffsetMetadata end = local.logEnd();
        if (startOffset == end.messageOffset())
            return FetchDataInfo.empty(startOffset);
        checkInRange(startOffset, end);
        LogOffsetMetadata bound = switch (isolation) {
            case LOG_END -> end;
            case HIGH_WATERMARK -> highWatermark.resolved(end);
            case TXN_COMMITTED -> lastStable(end);
        };
        if (startOffset >= bound.messageOffset())
            return FetchDataInfo.empty(startOffset);
        Optional<FetchDataInfo> found = verified ? local.readVerified(startOffset, maxBytes, bound)
                : local.read(startOffset, maxBytes, bound);
        if (found.isPresent()) {
            if (isolation != FetchIsolation.TXN_COMMITTED)
                return found.get();
            return found.get().withAbortedTransactions(local.abortedTransactions(found.get(), bound.messageOffset()));
        }
        // Retention removed the segment while we looked for it: the log start offset has already moved past it.
        checkInRange(startOffset, local.logEnd());
        if (bound.messageOffset() < end.messageOffset())
            return FetchDataInfo.empty(startOffset); // the batch holding startOffset straddles the high watermark
        throw new IllegalStateException("No batch holds offset " + startOffset + " of partition " + topicPartition
                + " although it is below the log end offset " + end.messageOffset());
    }

    /** The last stable offset with its place on disk, at most {@code end}. */
    private LogOffsetMetadata lastStable(LogOffsetMetadata end) {
        LogOffsetMetadata hw = highWatermark.resolved(end);
        long lso = producers.lastStableOffset(hw.messageOffset(), logStartOffset.getAsLong());
        if (lso >= hw.messageOffset())
            return hw;
        return local.offsetMetadata(lso).orElse(new LogOffsetMetadata(lso, Long.MIN_VALUE, 0));
    }

    private void checkInRange(long offset, LogOffsetMetadata end) {
        long start = logStartOffset.getAsLong();
        if (offset < start || offset > end.messageOffset())
            throw new OffsetOutOfRangeException("Offset " + offset + " is out of range for partition "
                    + topicPartition + ": the log holds offsets " + start + " to " + (end.messageOffset() - 1)
                    + " (log start offset " + start + ", log end offset " + end.messageOffset() + ")");
    }
}
