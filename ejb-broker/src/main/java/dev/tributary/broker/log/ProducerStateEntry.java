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
 * One idempotent producer on one partition (Kafka's {@code ProducerStateEntry}): its current epoch, the metadata of
 * its last {@value #RETAINED_BATCHES} batches of that epoch, oldest first, and when it last appended.
 *
 * <p>Invariants: there is at least one retained batch; retained batches all belong to the current epoch and have
 * contiguous sequences and increasing offsets. Guarded by the owning log's write lock.
 */
final class ProducerStateEntry {

    /** Kafka's {@code NUM_BATCHES_TO_RETAIN}: also the Java producer's maximum of in-flight requests. */
    static final int RETAINED_BATCHES = 5;

    private final long producerId;
    private short epoch;
    private final Deque<BatchMetadata> batches = new ArrayDeque<>(RETAINED_BATCHES + 1);
    private long lastTimestamp;

    ProducerStateEntry(long producerId, short epoch, List<BatchMetadata> batches, long lastTimestamp) {
        if (batches.isEmpty() || batches.size() > RETAINED_BATCHES)
            throw new IllegalArgumentException("A producer retains 1 to " + RETAINED_BATCHES + " batches, not "
                    + batches.size());
        this.producerId = producerId;
        this.epoch = epoch;
        this.batches.addAll(batches);
        this.lastTimestamp = lastTimestamp;
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

    /** Offset of the last record the producer appended. */
    long lastOffset() {
        return batches.peekLast().lastOffset();
    }

    /** Broker time of the producer's last append; what {@code producer.id.expiration.ms} is measured from. */
    long lastTimestamp() {
        return lastTimestamp;
    }

    /**
     * Checks that {@code append} may follow this producer's retained batches (Kafka's rules): an older epoch is
     * fenced; a newer epoch must start at sequence 0; within the epoch an append covering exactly the sequences of
     * retained batches is a retry, and any other must directly follow the last batch.
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
        int lastSeq = batches.peekLast().lastSeq();
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

    /** Records an appended (or replayed) batch; a new epoch forgets the batches of the old one. */
    void update(short batchEpoch, BatchMetadata batch, long nowMs) {
        if (batchEpoch != epoch) {
            batches.clear();
            epoch = batchEpoch;
        }
        batches.addLast(batch);
        if (batches.size() > RETAINED_BATCHES)
            batches.removeFirst();
        lastTimestamp = nowMs;
    }
}
