package dev.tributary.broker.group;

import java.util.Locale;
import java.util.Optional;

/**
 * The states of a group, named as Kafka names them on the wire (DescribeGroups, ConsumerGroupDescribe, ListGroups).
 * Classic groups go through Empty, PreparingRebalance, CompletingRebalance and Stable; consumer groups (KIP-848)
 * through Empty, Assigning, Reconciling and Stable (see {@link ConsumerGroup}). Both end Dead.
 *
 * <p>A classic group:
 * <pre>
 *   Empty ──join──► PreparingRebalance ──join phase done──► CompletingRebalance ──leader's sync──► Stable
 *     ▲                 ▲        │ no member left                │ member change                  │ member change
 *     │                 └────────┼───────────────────────────────┴────────────────────────────────┘
 *     └──────────────────────────┘
 *   Empty ──delete / nothing left to keep──► Dead
 * </pre>
 */
public enum GroupState {
    /** No members; the group may still hold committed offsets. */
    EMPTY("Empty"),
    /** Waiting for members to (re)join; heartbeats answer REBALANCE_IN_PROGRESS. */
    PREPARING_REBALANCE("PreparingRebalance"),
    /** Join responses sent; waiting for the leader's assignment in SyncGroup. */
    COMPLETING_REBALANCE("CompletingRebalance"),
    /** Every member has the assignment of the current generation (classic) or target (consumer). */
    STABLE("Stable"),
    /** A consumer group whose group epoch is ahead of its target assignment: the next heartbeat computes one. */
    ASSIGNING("Assigning"),
    /** A consumer group some of whose members have not reached the target assignment yet. */
    RECONCILING("Reconciling"),
    /** Removed from the coordinator; a request that still holds it must look the group up again. */
    DEAD("Dead");

    private final String kafkaName;

    GroupState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** The name Kafka's protocol and tools use ({@code "PreparingRebalance"}). */
    public String kafkaName() {
        return kafkaName;
    }

    /** Parses a Kafka state name case-insensitively, as ListGroups' states filter does. */
    public static Optional<GroupState> fromKafkaName(String name) {
        for (GroupState state : values()) {
            if (state.kafkaName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
