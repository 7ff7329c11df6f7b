package dev.tributary.broker.txn;

import java.util.Optional;

/**
 * The states of a transactional id, as Kafka's transaction coordinator names them (DescribeTransactions and
 * ListTransactions report these names, and {@code kafka-transactions.sh} filters by them).
 *
 * <pre>
 *   Empty ──AddPartitions──▶ Ongoing ──EndTxn──▶ PrepareCommit ──markers──▶ CompleteCommit
 *     ▲                        │  └──EndTxn / timeout / fence──▶ PrepareAbort ──markers──▶ CompleteAbort
 *     └──InitProducerId────────┴──── (from Complete*, Empty) ─────────────────────────────────┘
 * </pre>
 * PrepareEpochFence is Kafka's state for a fence in progress; here a fence goes straight to PrepareAbort with the
 * bumped epoch, so it is never stored, only named for completeness. Dead is an id whose expired row is being
 * removed.
 */
public enum TransactionState {
    EMPTY("Empty"),
    ONGOING("Ongoing"),
    PREPARE_COMMIT("PrepareCommit"),
    PREPARE_ABORT("PrepareAbort"),
    COMPLETE_COMMIT("CompleteCommit"),
    COMPLETE_ABORT("CompleteAbort"),
    DEAD("Dead"),
    PREPARE_EPOCH_FENCE("PrepareEpochFence");

    private final String kafkaName;

    TransactionState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** The name Kafka's protocol and tools use. */
    public String kafkaName() {
        return kafkaName;
    }

    /** The state Kafka calls {@code name}, if any. */
    public static Optional<TransactionState> fromKafkaName(String name) {
        for (TransactionState state : values()) {
            if (state.kafkaName.equals(name))
                return Optional.of(state);
        }
        return Optional.empty();
    }

    /** Markers are being written: the outcome is decided but not yet in every partition. */
    public boolean isPreparing() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }

    /** No transaction is open: a new one may start, or the producer may be re-initialised. */
    public boolean isIdle() {
        return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }
}
