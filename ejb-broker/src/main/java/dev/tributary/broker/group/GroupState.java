package dev.tributary.broker.group;

import java.util.Locale;
import java.util.Optional;

/**
 * The states of a classic group, named as Kafka names them on the wire (DescribeGroups, ListGroups).
 *
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
    /** Every member has the assignment of the current generation. */
    STABLE("Stable"),
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
