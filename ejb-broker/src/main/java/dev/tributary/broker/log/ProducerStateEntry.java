package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * One idempotent or transactional producer on one partition (Kafka's {@code ProducerStateEntry}): its current
 * epoch, the metadata of its last {@value #RETAINED_BATCHES} batches of that epoch, oldest first, when it last
 * appended, the epoch of the transaction coordinator that last wrote a marker for it, and the first offset of its
 * open transaction, if it has one here.
 *
 * <p>Invariants: retained batches all belong to the current epoch and have contiguous sequences and increasing
 * offsets; there may be none, after a transaction marker of a newer epoch (a coordinator that bumped the epoch to
 * abort or, in transaction version 2, to end a transaction). Guarded by the owning log's write lock.
 */
final class ProducerStateEntry {

    /** Kafka's {@code NUM_BATCHES_TO_RETAIN}: also the Java producer's maximum of in-flight requests. */
    static final int RETAINED_BATCHES = 5;
    /** No open transaction. */
    static final long NO_TRANSACTION = -1L;
    /** No coordinator has written a marker for the producer. */
    static final int NO_COORDINATOR_EPOCH = -1;

    private final long producerId;
    private short epoch;
    private final Deque<BatchMetadata> batches = new ArrayDeque<>(RETAINED_BATCHES + 1);
    private long lastTimestamp;
    private long lastOffset;
    private int coordinatorEpoch;
    private long currentTxnFirstOffset;

    ProducerStateEntry(long producerId, short epoch, List<BatchMetadata> batches, long lastTimestamp) {
        this(producerId, epoch, batches, lastTimestamp,
                batches.isEmpty() ? -1 : batches.get(batches.size() - 1).lastOffset(), NO_COORDINATOR_EPOCH,
                NO_TRANSACTION);
    }

    /**
     * @param lastOffset            offset of the producer's last batch or marker
     * @param coordinatorEpoch      epoch of the coordinator that wrote its last marker, or -1
     * @param currentTxnFirstOffset first offset of its open transaction, or -1
     */
    ProducerStateEntry(long producerId, short epoch, List<BatchMetadata> batches, long lastTimestamp,
                       long lastOffset, int coordinatorEpoch, long currentTxnFirstOffset) {
        if (batches.size() > RETAINED_BATCHES)
            throw new IllegalArgumentException("A producer retains at most " + RETAINED_BATCHES + " batches, not "
                    + batches.size());
        this.producerId = producerId;
        this.epoch = epoch;
        this.batches.addAll(batches);
        this.lastTimestamp = lastTimestamp;
        this.lastOffset = lastOffset;
        this.coordinatorEpoch = coordinatorEpoch;
        this.currentTxnFirstOffset = currentTxnFirstOffset;
    }

    long producerId() {
        return producerId;
    }

    short epoch() {
        return epoch;
    }

    /** The retained batches, oldest first. */
    List<BatchMetadata> batches() {
        return new ArrayList<>(batches);
    }

    /** Offset of the last batch or transaction marker of the producer. */
    long lastOffset() {
        return lastOffset;
    }

    /**
     * The last offset of the producer's last data batch of its current epoch, which carries its last sequence, or
     * of its last marker if it has no such batch (a marker that bumped its epoch): what compaction keeps of it.
     */
    long lastDataOffset() {
        return batches.isEmpty() ? lastOffset : batches.peekLast().lastOffset();
    }

    /** The last sequence the producer appended in its current epoch, or -1 if none. */
    int lastSeq() {
        return batches.isEmpty() ? -1 : batches.peekLast().lastSeq();
    }

    /** Broker time of the producer's last append; what {@code producer.id.expiration.ms} is measured from. */
    long lastTimestamp() {
        return lastTimestamp;
    }

    int coordinatorEpoch() {
        return coordinatorEpoch;
    }

    /** First offset of the producer's open transaction on this partition, or {@value #NO_TRANSACTION}. */
    long currentTxnFirstOffset() {
        return currentTxnFirstOffset;
    }

    boolean inTransaction() {
        return currentTxnFirstOffset != NO_TRANSACTION;
    }

    /**
     * Checks that {@code append} may follow this producer's retained batches (Kafka's rules): an older epoch is
     * fenced; a newer epoch must start at sequence 0; within the epoch an append covering exactly the sequences of
     * retained batches is a retry, and any other must directly follow the last batch (start at 0 if there is none).
     *
     * @return the original append if {@code append} is a retry of it, empty if it is new
     * @throws InvalidProducerEpochException the epoch is older than the current one
     * @throws OutOfOrderSequenceException   the sequence neither repeats retained batches nor follows the last one
     */
    Optional<LogAppendInfo> findDuplicate(ProducerAppend append, TopicPartition tp) {
        if (append.epoch() < epoch)
            throw new InvalidProducerEpochException("Producer " + producerId + " on " + tp + " sent epoch "
                    + append.epoch() + ", older than its current epoch " + epoch);
        if (append.epoch() > epoch) {
            if (append.firstSeq() != 0)
                throw new OutOfOrderSequenceException("Producer " + producerId + " on " + tp + " started epoch "
                        + append.epoch() + " at sequence " + append.firstSeq() + " instead of 0");
            return Optional.empty();
        }
        Optional<LogAppendInfo> duplicate = retainedRange(append.firstSeq(), append.lastSeq());
        if (duplicate.isPresent())
            return duplicate;
        int lastSeq = lastSeq();
        if (!ProducerAppend.inSequence(lastSeq, append.firstSeq()))
            throw new OutOfOrderSequenceException("Producer " + producerId + " on " + tp + " sent sequence "
                    + append.firstSeq() + " after " + lastSeq + " (epoch " + epoch + ")");
        return Optional.empty();
    }

    /** The retained batches from the one starting at {@code firstSeq} to the one ending at {@code lastSeq}. */
    private Optional<LogAppendInfo> retainedRange(int firstSeq, int lastSeq) {
        Iterator<BatchMetadata> it = batches.iterator();
        BatchMetadata first = null;
        long maxTimestamp = -1L;
        while (it.hasNext()) {
            BatchMetadata batch = it.next();
            if (first == null && batch.firstSeq() != firstSeq)
                continue;
            if (first == null)
                first = batch;
            maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
            if (batch.lastSeq() == lastSeq) {
                long records = batch.lastOffset() - first.firstOffset() + 1;
                return Optional.of(new LogAppendInfo(first.firstOffset(), batch.lastOffset(), maxTimestamp,
                        batch.logAppendTime(), (int) records, 0, true));
            }
        }
        return Optional.empty();
    }

    /**
     * Records an appended (or replayed) data batch; a new epoch forgets the batches of the old one. A
     * transactional batch opens a transaction if none is open.
     *
     * @return whether the batch opened a transaction
     */
    boolean update(short batchEpoch, BatchMetadata batch, boolean transactional, long nowMs) {
        changeEpoch(batchEpoch);
        batches.addLast(batch);
        if (batches.size() > RETAINED_BATCHES)
            batches.removeFirst();
        lastTimestamp = nowMs;
        lastOffset = batch.lastOffset();
        if (transactional && !inTransaction()) {
            currentTxnFirstOffset = batch.firstOffset();
            return true;
        }
        return false;
    }

    /**
     * Records a transaction marker at {@code offset} written by a coordinator of {@code markerCoordinatorEpoch}
     * with {@code markerEpoch}: the open transaction, if any, ends.
     *
     * @return the first offset of the transaction it ended, or {@value #NO_TRANSACTION} if none was open
     */
    long endTransaction(short markerEpoch, int markerCoordinatorEpoch, long offset, long nowMs) {
        changeEpoch(markerEpoch);
        long first = currentTxnFirstOffset;
        currentTxnFirstOffset = NO_TRANSACTION;
        coordinatorEpoch = markerCoordinatorEpoch;
        lastOffset = offset;
        lastTimestamp = nowMs;
        return first;
    }

    private void changeEpoch(short newEpoch) {
        if (newEpoch != epoch) {
            batches.clear();
            epoch = newEpoch;
        }
    }
}
