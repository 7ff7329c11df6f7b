package dev.tributary.broker.kafka;

import dev.tributary.broker.log.LogAppendInfo;
import dev.tributary.broker.log.PartitionLog;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Idempotent-producer state per partition (the in-memory half of Kafka's {@code ProducerStateManager}): for each
 * producer id its epoch and the sequence numbers and offsets of its last {@value #RETAINED_BATCHES} batches, so a
 * retried batch is answered with the offsets it got the first time instead of being appended twice, and a gap in
 * the sequence is refused.
 *
 * <p>Rules, as Kafka's: a batch of an older epoch is INVALID_PRODUCER_EPOCH; a newer epoch must start at sequence
 * 0; within an epoch a batch whose sequence range equals a retained one is a duplicate, and any other must follow
 * the last one (OUT_OF_ORDER_SEQUENCE_NUMBER otherwise); a producer id without state must start at sequence 0
 * (UNKNOWN_PRODUCER_ID otherwise, on which the Java producer bumps its epoch and starts again).
 *
 * <p><b>Not persisted</b>: a restart forgets every producer, so a batch retried across a broker restart may be
 * appended twice, and producers without state are never expired (Kafka: {@code producer.id.expiration.ms}).
 *
 * <p><b>Concurrency.</b> Check, append and record of one producer on one partition happen under that producer's
 * lock, so its batches are appended in sequence order; different producers append concurrently and share fsyncs.
 */
final class ProducerStateManager {

    /** Kafka's {@code ProducerStateEntry.NUM_BATCHES_TO_RETAIN}; also the producer's max in-flight requests. */
    static final int RETAINED_BATCHES = 5;

    /**
     * Where a produce request's records are.
     *
     * @param baseOffset    offset of the first record
     * @param logAppendTime broker time under LogAppendTime, -1 under CreateTime
     * @param duplicate     whether this is the answer of an earlier append of the same batch
     */
    record AppendResult(long baseOffset, long logAppendTime, boolean duplicate) {
    }

    private record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long logAppendTime) {
    }

    /** The identity and sequence range of one produce request's batches. */
    private record ProducerBatch(long producerId, short epoch, int firstSeq, int lastSeq) {
    }

    private final ConcurrentHashMap<TopicPartition, ConcurrentHashMap<Long, ProducerEntry>> partitions =
            new ConcurrentHashMap<>();

    /**
     * Appends {@code records} to {@code log} unless they are a duplicate of a retained batch of their producer.
     * Records without a producer id are appended as they are.
     *
     * @throws OutOfOrderSequenceException   the sequence does not follow the producer's last batch
     * @throws InvalidProducerEpochException the epoch is older than the producer's current one
     * @throws UnknownProducerIdException    no state for the producer and the sequence does not start at 0
     * @throws InvalidTxnStateException      a transactional batch (transactions are not supported)
     * @throws InvalidRecordException        batches of different producers in one request
     * @throws RuntimeException              whatever {@link PartitionLog#append} throws
     */
    AppendResult append(PartitionLog log, MemoryRecords records) {
        ProducerBatch batch = summarize(log.topicPartition(), records);
        if (batch == null) {
            LogAppendInfo info = log.append(records);
            return new AppendResult(info.firstOffset(), info.logAppendTime(), false);
        }
        ProducerEntry entry = partitions.computeIfAbsent(log.topicPartition(), tp -> new ConcurrentHashMap<>())
                .computeIfAbsent(batch.producerId(), ProducerEntry::new);
        synchronized (entry) {
            Optional<BatchMetadata> duplicate = entry.check(batch, log.topicPartition());
            if (duplicate.isPresent()) {
                for (MutableRecordBatch b : records.batches())
                    b.ensureValid(); // a corrupt copy of a retained batch is still corrupt
                return new AppendResult(duplicate.get().firstOffset(), duplicate.get().logAppendTime(), true);
            }
            LogAppendInfo info = log.append(records);
            entry.record(batch, info);
            return new AppendResult(info.firstOffset(), info.logAppendTime(), false);
        }
    }

    /** Drops the state of a deleted topic's partitions. */
    void forgetTopic(String topic) {
        partitions.keySet().removeIf(tp -> tp.topic().equals(topic));
    }

    /** @return the producer identity of the request, or {@code null} if its batches carry none */
    private static ProducerBatch summarize(TopicPartition tp, MemoryRecords records) {
        ProducerBatch summary = null;
        boolean first = true;
        for (MutableRecordBatch batch : records.batches()) {
            if (batch.isTransactional())
                throw new InvalidTxnStateException("Transactional batch for " + tp
                        + ": this broker does not support transactions");
            if (first) {
                first = false;
                if (batch.producerId() == RecordBatch.NO_PRODUCER_ID)
                    summary = null;
                else
                    summary = new ProducerBatch(batch.producerId(), batch.producerEpoch(), batch.baseSequence(),
                            batch.lastSequence());
                continue;
            }
            if (summary == null ? batch.producerId() != RecordBatch.NO_PRODUCER_ID
                    : batch.producerId() != summary.producerId() || batch.producerEpoch() != summary.epoch())
                throw new InvalidRecordException("A produce request to " + tp
                        + " mixes batches of different producers or epochs");
            if (summary != null) {
                if (!inSequence(summary.lastSeq(), batch.baseSequence()))
                    throw new OutOfOrderSequenceException("Batches of producer " + summary.producerId() + " to " + tp
                            + " are not contiguous: sequence " + batch.baseSequence() + " follows "
                            + summary.lastSeq());
                summary = new ProducerBatch(summary.producerId(), summary.epoch(), summary.firstSeq(),
                        batch.lastSequence());
            }
        }
        return summary;
    }

    private static boolean inSequence(int lastSeq, int nextSeq) {
        return nextSeq == lastSeq + 1L || (nextSeq == 0 && lastSeq == Integer.MAX_VALUE);
    }

    /** One producer on one partition. Guarded by itself. */
    private static final class ProducerEntry {
        private final long producerId;
        private short epoch = RecordBatch.NO_PRODUCER_EPOCH;
        private final Deque<BatchMetadata> batches = new ArrayDeque<>(RETAINED_BATCHES);

        ProducerEntry(long producerId) {
            this.producerId = producerId;
        }

        Optional<BatchMetadata> check(ProducerBatch batch, TopicPartition tp) {
            if (batches.isEmpty()) {
                if (batch.firstSeq() != 0)
                    throw new UnknownProducerIdException("No state for producer " + producerId + " on " + tp
                            + " (it may predate a broker restart); its first batch must have sequence 0, not "
                            + batch.firstSeq());
                return Optional.empty();
            }
            if (batch.epoch() < epoch)
                throw new InvalidProducerEpochException("Producer " + producerId + " on " + tp + " sent epoch "
                        + batch.epoch() + ", older than its current epoch " + epoch);
            if (batch.epoch() > epoch) {
                if (batch.firstSeq() != 0)
                    throw new OutOfOrderSequenceException("Producer " + producerId + " on " + tp + " started epoch "
                            + batch.epoch() + " at sequence " + batch.firstSeq() + " instead of 0");
                return Optional.empty();
            }
            for (BatchMetadata retained : batches) {
                if (retained.firstSeq() == batch.firstSeq() && retained.lastSeq() == batch.lastSeq())
                    return Optional.of(retained);
            }
            int lastSeq = batches.peekLast().lastSeq();
            if (!inSequence(lastSeq, batch.firstSeq()))
                throw new OutOfOrderSequenceException("Producer " + producerId + " on " + tp + " sent sequence "
                        + batch.firstSeq() + " after " + lastSeq + " (epoch " + epoch + ")");
            return Optional.empty();
        }

        void record(ProducerBatch batch, LogAppendInfo info) {
            if (batch.epoch() != epoch) {
                batches.clear();
                epoch = batch.epoch();
            }
            batches.addLast(new BatchMetadata(batch.firstSeq(), batch.lastSeq(), info.firstOffset(),
                    info.logAppendTime()));
            while (batches.size() > RETAINED_BATCHES)
                batches.removeFirst();
        }
    }
}
