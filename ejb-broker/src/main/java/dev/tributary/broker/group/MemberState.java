package dev.tributary.broker.group;

/**
 * Where a consumer-protocol member is in reconciling its assignment with its target (KIP-848; Kafka's
 * {@code MemberState}). {@link MemberReconciliation} moves a member between these states:
 *
 * <pre>
 *   STABLE ──new target that takes partitions away──► UNREVOKED_PARTITIONS ──member revoked them──► next epoch
 *   STABLE ──new target whose partitions are still owned by others──► UNRELEASED_PARTITIONS ──they released──► STABLE
 * </pre>
 */
public enum MemberState {
    /** The member has every partition of its target and nothing else (or waits for nothing). */
    STABLE,
    /** The member must revoke partitions before it moves to the next epoch; it keeps its current epoch meanwhile. */
    UNREVOKED_PARTITIONS,
    /** The member is at the target epoch but some of its target partitions are still owned by other members. */
    UNRELEASED_PARTITIONS
}
