package dev.tributary.broker.txn;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * What the coordinator keeps of one transactional id (Kafka's {@code TransactionMetadata}), one row of the
 * {@link TransactionStateStore}. Immutable: every change is a new value with {@link #version()} one higher, written
 * with a compare-and-set on the old version, so that two coordinators (brokers acting on different views of the
 * cluster) can never both change one id.
 *
 * @param transactionalId    the id the producer chose
 * @param producerId         its current producer id
 * @param producerEpoch      its current epoch; an older one is fenced
 * @param lastProducerEpoch  the epoch before the last bump, so a retried request of the bumped producer is
 *                           recognised; -1 if none
 * @param timeoutMs          the producer's {@code transaction.timeout.ms}
 * @param state              where its transaction is
 * @param partitions         the partitions of the open or ending transaction
 * @param groups             the consumer groups whose offsets it commits (AddOffsetsToTxn / TxnOffsetCommit)
 * @param startTimeMs        when the open transaction started, -1 if none is open
 * @param lastUpdateMs       when the row last changed
 * @param transactionVersion the transaction protocol version its client uses: 2 bumps the epoch at every EndTxn
 *                           (KIP-890), 0 or 1 does not
 * @param version            the row version; the coordinator epoch its markers carry
 * @param nextProducerId     the producer id the producer goes on with once the transaction being prepared is
 *                           complete, when its epoch is exhausted (transaction version 2); -1 otherwise
 */
public record TransactionMetadata(String transactionalId, long producerId, short producerEpoch,
                                  short lastProducerEpoch, int timeoutMs, TransactionState state,
                                  Set<TopicPartition> partitions, Set<String> groups, long startTimeMs,
                                  long lastUpdateMs, int transactionVersion, long version, long nextProducerId) {

    public TransactionMetadata {
        Objects.requireNonNull(transactionalId, "transactionalId");
        Objects.requireNonNull(state, "state");
        TreeSet<TopicPartition> sorted = new TreeSet<>(
                (a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition())
                        : a.topic().compareTo(b.topic()));
        sorted.addAll(partitions);
        partitions = Collections.unmodifiableSet(new LinkedHashSet<>(sorted));
        groups = Collections.unmodifiableSet(new LinkedHashSet<>(new TreeSet<>(groups)));
    }

    /** A new id's first row: the producer id at epoch 0, no transaction. */
    static TransactionMetadata initial(String transactionalId, long producerId, int timeoutMs, long nowMs) {
        return new TransactionMetadata(transactionalId, producerId, (short) 0, (short) -1, timeoutMs,
                TransactionState.EMPTY, Set.of(), Set.of(), -1, nowMs, 0, 0, -1);
    }

    /** The coordinator epoch of markers written from this row. */
    public int coordinatorEpoch() {
        return (int) Math.min(version, Integer.MAX_VALUE);
    }

    /** This row changed: the next version, stamped {@code nowMs}. */
    TransactionMetadata next(short epoch, short lastEpoch, long pid, TransactionState newState,
                             Set<TopicPartition> newPartitions, Set<String> newGroups, long start, long nowMs,
                             int txnVersion, int timeout) {
        return new TransactionMetadata(transactionalId, pid, epoch, lastEpoch, timeout, newState, newPartitions,
                newGroups, start, nowMs, txnVersion, version + 1, -1);
    }

    /** This row, to go on with {@code producerId} once its prepared transaction is complete. */
    TransactionMetadata withNextProducerId(long producerId) {
        return new TransactionMetadata(transactionalId, this.producerId, producerEpoch, lastProducerEpoch, timeoutMs,
                state, partitions, groups, startTimeMs, lastUpdateMs, transactionVersion, version, producerId);
    }

    /** The same transaction in {@code newState} (a prepared one keeps its next producer id). */
    TransactionMetadata withState(TransactionState newState, long nowMs) {
        TransactionMetadata changed = next(producerEpoch, lastProducerEpoch, producerId, newState, partitions, groups,
                startTimeMs, nowMs, transactionVersion, timeoutMs);
        return nextProducerId >= 0 && newState.isPreparing() ? changed.withNextProducerId(nextProducerId) : changed;
    }

    /**
     * The row of a producer re-initialising (InitProducerId) with no transaction open: its next epoch, or a new
     * producer id at epoch 0 once the epoch is exhausted; Empty, with {@code timeout}.
     */
    TransactionMetadata reinitialised(java.util.function.LongSupplier producerIds, int timeout, long nowMs) {
        if (producerEpoch >= Short.MAX_VALUE - 1)
            return next((short) 0, (short) -1, producerIds.getAsLong(), TransactionState.EMPTY, Set.of(), Set.of(), -1,
                    nowMs, transactionVersion, timeout);
        return next((short) (producerEpoch + 1), producerEpoch, producerId, TransactionState.EMPTY, Set.of(),
                Set.of(), -1, nowMs, transactionVersion, timeout);
    }

    /**
     * The epoch markers carry when they must fence the producer's current epoch: the next one, at most
     * {@code Short.MAX_VALUE} (markers keep the producer id that wrote the data; only the producer's next
     * initialisation, or the completion of a version 2 transaction, moves to a new id).
     */
    short fencingEpoch() {
        return producerEpoch < Short.MAX_VALUE ? (short) (producerEpoch + 1) : Short.MAX_VALUE;
    }

    /** Whether the open transaction has run longer than its timeout at {@code nowMs}. */
    boolean timedOut(long nowMs) {
        return state == TransactionState.ONGOING && startTimeMs >= 0 && nowMs - startTimeMs > timeoutMs;
    }
}
