package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.logging.Logger;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.TransactionCoordinatorFencedException;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.Record;

/**
 * The idempotent- and transactional-producer state of one partition log (Kafka's {@code ProducerStateManager}): for
 * each producer id a {@link ProducerStateEntry}, so that a retried batch is answered with the offsets it got the first
 * time instead of being appended twice, and a gap in a producer's sequence is refused; and the open transactions by
 * their first offset, the earliest of which holds the partition's last stable offset back.
 *
 * <p>A transactional batch of a producer without an open transaction opens one at its first offset; a control batch
 * (commit or abort marker) ends it ({@link #replay} returns the {@link CompletedTxn}, whose abort the log records in
 * its {@link TransactionIndex} before it calls {@link #complete}). Producers with an open transaction neither expire
 * nor are forgotten when the log start offset passes them: the transaction must still end.
 *
 * <p>The state is part of the log: it reflects exactly the batches below the log end offset. It is updated by the
 * log's appends, written to {@code <offset>.snapshot} files ({@link ProducerStateSnapshot}) when the log rolls a
 * segment and when it closes, and rebuilt on open from the latest usable snapshot plus the batches after it (see
 * {@link ProducerStateLoader}). Producers whose last batch fell below the log start offset, and producers idle for
 * {@code producer.id.expiration.ms}, are forgotten.
 *
 * <p>Concurrency: not thread-safe. The owning {@link PartitionLog} calls it under its write lock only; the loader
 * builds it before the log is published.
 */
final class ProducerStateManager {
    private static final Logger LOG = Logger.getLogger(ProducerStateManager.class.getName());

    /** Kafka's default {@code producer.id.expiration.ms}: one day. */
    static final long DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000L;
    /** Snapshots kept after a new one is written: the newest, and one to fall back on if it is damaged. */
    private static final int RETAINED_SNAPSHOTS = 2;

    private final Path dir;
    private final TopicPartition tp;
    private final Map<Long, ProducerStateEntry> producers = new HashMap<>();
    /** First offset of each open transaction to its producer id. */
    private final TreeMap<Long, Long> ongoingTxns = new TreeMap<>();

    ProducerStateManager(Path dir, TopicPartition tp) {
        this.dir = dir;
        this.tp = tp;
    }

    /**
     * Checks {@code append} against its producer's state without changing it.
     *
     * @return what the log answered when it appended these batches before, if {@code append} is a retry
     * @throws UnknownProducerIdException no state for the producer and the append does not start at sequence 0
     * @throws InvalidTxnStateException   a non-transactional append of a producer whose transaction is open
     * @throws org.apache.kafka.common.errors.InvalidProducerEpochException see {@link ProducerStateEntry#findDuplicate}
     * @throws org.apache.kafka.common.errors.OutOfOrderSequenceException   see {@link ProducerStateEntry#findDuplicate}
     */
    Optional<LogAppendInfo> findDuplicate(ProducerAppend append) {
        ProducerStateEntry entry = producers.get(append.producerId());
        if (entry != null) {
            Optional<LogAppendInfo> duplicate = entry.findDuplicate(append, tp);
            if (duplicate.isEmpty() && entry.inTransaction() && !append.transactional())
                throw new InvalidTxnStateException("Producer " + append.producerId() + " sent a non-transactional"
                        + " batch to " + tp + " while its transaction from offset " + entry.currentTxnFirstOffset()
                        + " is open");
            return duplicate;
        }
        if (append.firstSeq() != 0)
            throw new UnknownProducerIdException("No state for producer " + append.producerId() + " on " + tp
                    + " (it expired, or its batches were deleted by retention); its first batch must have sequence"
                    + " 0, not " + append.firstSeq());
        return Optional.empty();
    }

    /**
     * Checks a transaction marker the coordinator is about to append for {@code producerId}, without changing
     * anything (Kafka's checks for markers from the coordinator).
     *
     * @throws org.apache.kafka.common.errors.InvalidProducerEpochException marker epoch older than the producer's
     * @throws TransactionCoordinatorFencedException                        coordinator epoch older than the last
     *                                                                      marker's
     */
    void checkMarker(long producerId, short epoch, int coordinatorEpoch) {
        ProducerStateEntry entry = producers.get(producerId);
        if (entry == null)
            return;
        if (epoch < entry.epoch())
            throw new org.apache.kafka.common.errors.InvalidProducerEpochException("Marker for producer "
                    + producerId + " on " + tp + " has epoch " + epoch + ", older than the producer's " + entry.epoch());
        if (coordinatorEpoch < entry.coordinatorEpoch())
            throw new TransactionCoordinatorFencedException("Marker for producer " + producerId + " on " + tp
                    + " comes from coordinator epoch " + coordinatorEpoch + ", older than "
                    + entry.coordinatorEpoch());
    }

    /**
     * Records one batch of the log, appended now or read back from a segment; batches without producer are skipped.
     * A data batch may open a transaction; a marker ends the producer's open transaction.
     *
     * @return the transaction a marker ended, for the caller to record (an abort in the segment's
     *         {@link TransactionIndex}) and then {@link #complete}; empty for data batches and markers that end no
     *         open transaction
     */
    Optional<CompletedTxn> replay(RecordBatch batch, long nowMs) {
        if (!batch.hasProducerId())
            return Optional.empty();
        long producerId = batch.producerId();
        ProducerStateEntry entry = producers.get(producerId);
        if (batch.isControlBatch()) {
            java.util.Iterator<Record> records = batch.iterator();
            if (!records.hasNext())
                return Optional.empty(); // compaction removed the whole transaction, and with it the marker's record
            EndTransactionMarker marker = EndTransactionMarker.deserialize(records.next());
            if (entry == null) {
                entry = new ProducerStateEntry(producerId, batch.producerEpoch(), List.of(), nowMs, batch.baseOffset(),
                        marker.coordinatorEpoch(), ProducerStateEntry.NO_TRANSACTION);
                producers.put(producerId, entry);
            }
            long first = entry.endTransaction(batch.producerEpoch(), marker.coordinatorEpoch(), batch.baseOffset(),
                    nowMs);
            if (first == ProducerStateEntry.NO_TRANSACTION)
                return Optional.empty();
            return Optional.of(new CompletedTxn(producerId, first, batch.baseOffset(),
                    marker.controlType() == ControlRecordType.ABORT));
        }
        BatchMetadata metadata = BatchMetadata.of(batch);
        if (entry == null) {
            entry = new ProducerStateEntry(producerId, batch.producerEpoch(), List.of(), nowMs);
            producers.put(producerId, entry);
        }
        if (entry.update(batch.producerEpoch(), metadata, batch.isTransactional(), nowMs))
            ongoingTxns.put(metadata.firstOffset(), producerId);
        return Optional.empty();
    }

    /**
     * The last stable offset once {@code completed} has ended: the first offset of the earliest transaction of
     * another producer that is still open, or the offset after the marker (Kafka's {@code lastStableOffset}), for
     * the {@link AbortedTxn} entry. Call before {@link #complete}.
     */
    long lastStableOffsetAfter(CompletedTxn completed) {
        for (Map.Entry<Long, Long> open : ongoingTxns.entrySet()) {
            if (open.getValue() != completed.producerId())
                return open.getKey();
        }
        return completed.lastOffset() + 1;
    }

    /** Forgets the open transaction that {@code completed} ended. */
    void complete(CompletedTxn completed) {
        ongoingTxns.remove(completed.firstOffset());
    }

    /** Whether {@code producerId} at {@code epoch} has an open transaction here. */
    boolean inTransaction(long producerId, short epoch) {
        ProducerStateEntry entry = producers.get(producerId);
        return entry != null && entry.epoch() == epoch && entry.inTransaction();
    }

    /** First offset of the earliest open transaction, or empty if none is open. */
    OptionalLong firstUndecidedOffset() {
        return ongoingTxns.isEmpty() ? OptionalLong.empty() : OptionalLong.of(ongoingTxns.firstKey());
    }

    /** A copy of every producer's state, for DescribeProducers. */
    List<ActiveProducer> activeProducers() {
        List<ActiveProducer> all = new ArrayList<>(producers.size());
        for (ProducerStateEntry entry : producers.values())
            all.add(new ActiveProducer(entry.producerId(), entry.epoch(), entry.lastSeq(), entry.lastTimestamp(),
                    entry.coordinatorEpoch(), entry.currentTxnFirstOffset()));
        return all;
    }

    int producerCount() {
        return producers.size();
    }

    /**
     * For each producer, the last offset of the batch compaction must keep (Kafka's
     * {@code lastRecordsOfActiveProducers}): its last data batch, with its last sequence, or its last marker if a
     * marker bumped its epoch since (see {@link ProducerStateEntry#lastDataOffset}).
     */
    Map<Long, Long> lastOffsets() {
        Map<Long, Long> offsets = new HashMap<>();
        producers.forEach((id, entry) -> offsets.put(id, entry.lastDataOffset()));
        return offsets;
    }

    /**
     * Forgets producers whose last append is {@code expirationMs} or more before {@code nowMs}; their next batch
     * must start a new sequence (the Java producer then resets itself on UNKNOWN_PRODUCER_ID).
     *
     * @return how many producers were forgotten
     */
    int removeExpiredProducers(long nowMs, long expirationMs) {
        int before = producers.size();
        producers.values().removeIf(entry -> !entry.inTransaction() && nowMs - entry.lastTimestamp() >= expirationMs);
        return before - producers.size();
    }

    /**
     * Forgets producers all of whose batches are below the new log start offset, unless their transaction is still
     * open, and snapshots below it (the batches after such a snapshot could no longer be replayed).
     */
    void onLogStartOffsetIncremented(long logStartOffset) throws IOException {
        producers.values().removeIf(entry -> !entry.inTransaction() && entry.lastOffset() < logStartOffset);
        for (long offset : snapshotOffsets()) {
            if (offset < logStartOffset)
                deleteSnapshot(offset);
        }
    }

    // ---- snapshots ----

    /**
     * Writes the state as of {@code offset} (the log end offset: every batch below it is reflected) and deletes all
     * but the newest {@value #RETAINED_SNAPSHOTS} snapshots.
     */
    void takeSnapshot(long offset) throws IOException {
        ProducerStateSnapshot.write(LogFiles.producerSnapshotFile(dir, offset), producers.values());
        List<Long> offsets = snapshotOffsets();
        for (int i = 0; i < offsets.size() - RETAINED_SNAPSHOTS; i++)
            deleteSnapshot(offsets.get(i));
    }

    /**
     * Replaces the state with that of the newest snapshot at or below {@code maxOffset} that passes its checks.
     * Corrupt snapshots met on the way are deleted with a warning.
     *
     * @return the offset of the snapshot loaded: the state reflects every batch below it and none at or above it;
     *         empty if no snapshot could be used, and the state is then empty
     */
    OptionalLong loadLatestSnapshot(long maxOffset) throws IOException {
        clear();
        List<Long> offsets = snapshotOffsets();
        for (int i = offsets.size() - 1; i >= 0; i--) {
            long offset = offsets.get(i);
            if (offset > maxOffset)
                continue;
            Path file = LogFiles.producerSnapshotFile(dir, offset);
            try {
                for (ProducerStateEntry entry : ProducerStateSnapshot.read(file)) {
                    producers.put(entry.producerId(), entry);
                    if (entry.inTransaction())
                        ongoingTxns.put(entry.currentTxnFirstOffset(), entry.producerId());
                }
                return OptionalLong.of(offset);
            } catch (CorruptSnapshotException e) {
                LOG.warning(() -> "Partition " + tp + ": " + e.getMessage() + "; deleting it and using an older"
                        + " snapshot, or none, and more of the log instead");
                clear();
                deleteSnapshot(offset);
            }
        }
        return OptionalLong.empty();
    }

    /** Deletes snapshots of offsets beyond {@code logEndOffset}: they describe batches the log no longer has. */
    void deleteSnapshotsAbove(long logEndOffset) throws IOException {
        for (long offset : snapshotOffsets()) {
            if (offset > logEndOffset)
                deleteSnapshot(offset);
        }
    }

    /** Forgets every producer and snapshot: the log was emptied and starts over. */
    void truncateFully() throws IOException {
        clear();
        for (long offset : snapshotOffsets())
            deleteSnapshot(offset);
    }

    private void clear() {
        producers.clear();
        ongoingTxns.clear();
    }

    /** Offsets of the snapshot files in the log directory, ascending. */
    List<Long> snapshotOffsets() throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + LogFiles.SNAPSHOT_SUFFIX)) {
            for (Path file : files)
                LogFiles.baseOffsetOf(file.getFileName().toString(), LogFiles.SNAPSHOT_SUFFIX).ifPresent(offsets::add);
        }
        offsets.sort(null);
        return offsets;
    }

    private void deleteSnapshot(long offset) throws IOException {
        Files.deleteIfExists(LogFiles.producerSnapshotFile(dir, offset));
    }
}
