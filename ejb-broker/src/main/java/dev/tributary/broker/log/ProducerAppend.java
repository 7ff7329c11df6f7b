package dev.tributary.broker.log;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;

/**
 * The idempotent or transactional producer behind one append: its id and epoch, the sequence range its batches
 * cover, and whether they are transactional. An append may hold several batches (in-process callers; a Kafka produce
 * request holds exactly one per partition), but they must then all be of one producer and epoch, all transactional
 * or none, with contiguous sequences, so the whole append is one range.
 *
 * @param producerId    producer id shared by every batch
 * @param epoch         producer epoch shared by every batch
 * @param firstSeq      base sequence of the first batch
 * @param lastSeq       last sequence of the last batch
 * @param transactional whether the batches belong to a transaction
 */
record ProducerAppend(long producerId, short epoch, int firstSeq, int lastSeq, boolean transactional) {

    /**
     * The producer of {@code records}, or {@code null} if its batches carry no producer id. Reads batch headers
     * only; the batches must already be validated as RecordBatch v2.
     *
     * @throws InvalidRecordException      batches of different producers or epochs, with and without an id, mixing
     *                                     transactional and plain batches, or a transactional batch without an id
     * @throws OutOfOrderSequenceException the batches' sequences are not contiguous
     */
    static ProducerAppend of(TopicPartition tp, MemoryRecords records) {
        ProducerAppend append = null;
        boolean first = true;
        for (MutableRecordBatch batch : records.batches()) {
            if (batch.isTransactional() && !batch.hasProducerId())
                throw new InvalidRecordException("A transactional batch to " + tp + " has no producer id");
            if (first) {
                first = false;
                if (batch.hasProducerId())
                    append = new ProducerAppend(batch.producerId(), batch.producerEpoch(), batch.baseSequence(),
                            batch.lastSequence(), batch.isTransactional());
                continue;
            }
            if (append == null ? batch.hasProducerId()
                    : batch.producerId() != append.producerId() || batch.producerEpoch() != append.epoch()
                      || batch.isTransactional() != append.transactional())
                throw new InvalidRecordException("An append to " + tp
                        + " mixes batches of different producers, epochs or transactionality");
            if (append != null) {
                if (!inSequence(append.lastSeq(), batch.baseSequence()))
                    throw new OutOfOrderSequenceException("Batches of producer " + append.producerId() + " to " + tp
                            + " are not contiguous: sequence " + batch.baseSequence() + " follows " + append.lastSeq());
                append = new ProducerAppend(append.producerId(), append.epoch(), append.firstSeq(),
                        batch.lastSequence(), append.transactional());
            }
        }
        return append;
    }

    /** Whether {@code nextSeq} directly follows {@code lastSeq}; sequences wrap from {@code Integer.MAX_VALUE} to 0. */
    static boolean inSequence(int lastSeq, int nextSeq) {
        return nextSeq == lastSeq + 1L || (nextSeq == 0 && lastSeq == Integer.MAX_VALUE);
    }
}
