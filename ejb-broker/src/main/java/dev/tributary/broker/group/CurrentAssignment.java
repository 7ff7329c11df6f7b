package dev.tributary.broker.group;

import java.util.Objects;

/**
 * A consumer-protocol member's side of the assignment (KIP-848): its epoch, what it may consume now, and what it
 * was asked to give back. Immutable; {@link MemberReconciliation} computes the next one.
 *
 * <p>A partition is owned by the member while it is in {@code assigned} or in {@code pendingRevocation}: the
 * coordinator gives it to another member only once it has left both (the member said it revoked it, or the member
 * is gone).
 *
 * @param memberEpoch         the epoch the member is at; 0 before its first assignment
 * @param previousMemberEpoch the epoch before the last bump, accepted once more from a member that missed the
 *                            response carrying the new one
 * @param assigned            what the member may consume
 * @param pendingRevocation   what the member was asked to revoke and has not yet said it revoked; empty unless
 *                            {@code state} is {@link MemberState#UNREVOKED_PARTITIONS}
 */
public record CurrentAssignment(int memberEpoch, int previousMemberEpoch, MemberState state, Assignment assigned,
                                Assignment pendingRevocation) {

    /** A member that just joined: epoch 0, nothing assigned. */
    public static final CurrentAssignment JOINING = new CurrentAssignment(0, 0, MemberState.STABLE, Assignment.EMPTY,
            Assignment.EMPTY);

    public CurrentAssignment {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(assigned, "assigned");
        Objects.requireNonNull(pendingRevocation, "pendingRevocation");
        if (state != MemberState.UNREVOKED_PARTITIONS && !pendingRevocation.isEmpty()) {
            throw new IllegalArgumentException("Only a member in UNREVOKED_PARTITIONS has partitions to revoke, not "
                    + state + " " + pendingRevocation);
        }
        if (assigned.overlaps(pendingRevocation)) {
            throw new IllegalArgumentException("Partitions " + assigned.intersect(pendingRevocation)
                    + " are both assigned and pending revocation");
        }
    }

    /** Every partition the member owns: assigned or not yet revoked. */
    public Assignment owned() {
        return pendingRevocation.isEmpty() ? assigned : assigned.union(pendingRevocation);
    }

    /** Whether the member has its target assignment of {@code targetEpoch} and waits for nothing. */
    public boolean isReconciledTo(int targetEpoch) {
        return state == MemberState.STABLE && memberEpoch == targetEpoch;
    }

    /**
     * The assigned partitions at epoch 0, nothing left to revoke: where a static member's replacement starts (it
     * gets its predecessor's partitions back without a rebalance).
     */
    CurrentAssignment restartedAtZero() {
        return new CurrentAssignment(0, 0, MemberState.STABLE, assigned, Assignment.EMPTY);
    }

    /** Epoch -2 with nothing left to revoke: a static member that left for now, keeping its partitions. */
    CurrentAssignment temporarilyLeft(int leaveEpoch) {
        return new CurrentAssignment(leaveEpoch, memberEpoch, MemberState.STABLE, assigned, Assignment.EMPTY);
    }
}
