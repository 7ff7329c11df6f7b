package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.record.internal.MemoryRecords;
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
import java.util.logging.Logger;

/**
 * The idempotent-producer state of one partition log (Kafka's {@code ProducerStateManager}): for each producer id
 * a {@link ProducerStateEntry}, so that a retried batch is answered with the offsets it got the first time instead
 * of being appended twice, and a gap in a producer's sequence is refused.
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

    ProducerStateManager(Path dir, TopicPartition tp) {
        this.dir = dir;
        this.tp = tp;
    }

    /**
     * Checks {@code append} against its producer's state without changing it.
     *
     * @return what the log answered when it appended these batches before, if {@code append} is a retry
     * @throws UnknownProducerIdException no state for the producer and the append does not start at sequence 0
     * @throws org.apache.kafka.common.errors.InvalidProducerEpochException see {@link ProducerStateEntry#findDuplicate}
     * @throws org.apache.kafka.common.errors.OutOfOrderSequenceException   see {@link ProducerStateEntry#findDuplicate}
     */
    Optional<LogAppendInfo> findDuplicate(ProducerAppend append) {
        ProducerStateEntry entry = producers.get(append.producerId());
        if (entry != null)
            return entry.findDuplicate(append, tp);
        if (append.firstSeq() != 0)
            throw new UnknownProducerIdException("No state for producer " + append.producerId() + " on " + tp
                    + " (it expired, or its batches were deleted by retention); its first batch must have sequence"
                    + " 0, not " + append.firstSeq());
        return Optional.empty();
    }

    /** Records the batches of an append, whose offsets (and append time) the log has assigned. */
    void update(MemoryRecords appended, long nowMs) {
        for (RecordBatch batch : appended.batches())
            replay(batch, nowMs);
    }

    /** Records one batch of the log, appended now or read back from a segment; batches without producer are skipped. */
    void replay(RecordBatch batch, long nowMs) {
        if (!batch.hasProducerId())
            return;
        BatchMetadata metadata = BatchMetadata.of(batch);
        ProducerStateEntry entry = producers.get(batch.producerId());
        if (entry == null)
            producers.put(batch.producerId(), new ProducerStateEntry(batch.producerId(), batch.producerEpoch(),
                    List.of(metadata), nowMs));
        else
            entry.update(batch.producerEpoch(), metadata, nowMs);
    }

    int producerCount() {
        return producers.size();
    }

    /** For each producer, the last offset of its latest batch in the log. */
    Map<Long, Long> lastOffsets() {
        Map<Long, Long> offsets = new HashMap<>();
        producers.forEach((id, entry) -> offsets.put(id, entry.lastOffset()));
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
        producers.values().removeIf(entry -> nowMs - entry.lastTimestamp() >= expirationMs);
        return before - producers.size();
    }

    /**
     * Forgets producers all of whose batches are below the new log start offset, and snapshots below it (the
     * batches after such a snapshot could no longer be replayed).
     */
    void onLogStartOffsetIncremented(long logStartOffset) throws IOException {
        producers.values().removeIf(entry -> entry.lastOffset() < logStartOffset);
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
        producers.clear();
        List<Long> offsets = snapshotOffsets();
        for (int i = offsets.size() - 1; i >= 0; i--) {
            long offset = offsets.get(i);
            if (offset > maxOffset)
                continue;
            Path file = LogFiles.producerSnapshotFile(dir, offset);
            try {
                for (ProducerStateEntry entry : ProducerStateSnapshot.read(file))
                    producers.put(entry.producerId(), entry);
                return OptionalLong.of(offset);
            } catch (CorruptSnapshotException e) {
                LOG.warning(() -> "Partition " + tp + ": " + e.getMessage() + "; deleting it and using an older"
                        + " snapshot, or none, and more of the log instead");
                producers.clear();
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
        producers.clear();
        for (long offset : snapshotOffsets())
            deleteSnapshot(offset);
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
