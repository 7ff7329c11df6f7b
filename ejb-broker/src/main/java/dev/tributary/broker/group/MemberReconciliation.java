package dev.tributary.broker.group;

import java.util.Optional;
import java.util.function.BiPredicate;
import org.apache.kafka.common.Uuid;

/**
 * The state machine that moves one consumer-protocol member from its current assignment towards its target
 * (KIP-848's reconciliation; Kafka's {@code CurrentAssignmentBuilder}), one heartbeat at a time, without a global
 * barrier: each member progresses on its own, and the only thing that waits is a partition moving between two
 * members, which its new owner gets only after its old owner has revoked it.
 *
 * <ul>
 *   <li>A member whose new target takes partitions away keeps its epoch, keeps what it may keep, and is asked to
 *       revoke the rest ({@link MemberState#UNREVOKED_PARTITIONS}); it moves to the next epoch once a heartbeat
 *       no longer lists any of them as owned.</li>
 *   <li>A member whose new target only adds partitions moves to the target epoch at once and gets those no other
 *       member owns; the others it gets in later heartbeats, as their owners release them
 *       ({@link MemberState#UNRELEASED_PARTITIONS}).</li>
 * </ul>
 *
 * <p>Pure: it reads the member's state, the target, who owns what and what the member said it owns, and returns
 * the next state; the caller applies it to the group.
 */
final class MemberReconciliation {

    private MemberReconciliation() {
    }

    /**
     * The member's next state.
     *
     * @param current        the member's state now
     * @param targetEpoch    the epoch of the group's target assignment
     * @param target         the member's part of that target
     * @param ownedByOther   whether a partition is owned (assigned or pending revocation) by another member
     * @param reportedOwned  the partitions the member's heartbeat said it owns; empty if the heartbeat did not say
     *                       (it only does when they changed, or in a full heartbeat)
     * @return {@code current} itself when nothing changes
     */
    static CurrentAssignment next(CurrentAssignment current, int targetEpoch, Assignment target,
                                  BiPredicate<Uuid, Integer> ownedByOther, Optional<Assignment> reportedOwned) {
        return switch (current.state()) {
            case STABLE -> current.memberEpoch() == targetEpoch ? current
                    : toward(current, current.memberEpoch(), targetEpoch, target, ownedByOther, reportedOwned);
            case UNREVOKED_PARTITIONS -> stillOwns(reportedOwned, current.pendingRevocation()) ? current
                    // Revoked: the member may move past the epoch it was held at, to the latest target.
                    : toward(current, current.memberEpoch() + 1, targetEpoch, target, ownedByOther, reportedOwned);
            case UNRELEASED_PARTITIONS -> toward(current, current.memberEpoch(), targetEpoch, target, ownedByOther,
                    reportedOwned);
        };
    }

    /**
     * One step towards the target: partitions to give up first, then partitions to take that nobody else owns.
     *
     * @param epochIfRevoking the epoch the member stays at while it revokes
     */
    private static CurrentAssignment toward(CurrentAssignment current, int epochIfRevoking, int targetEpoch,
                                            Assignment target, BiPredicate<Uuid, Integer> ownedByOther,
                                            Optional<Assignment> reportedOwned) {
        Assignment kept = current.assigned().intersect(target);
        Assignment toRevoke = current.assigned().minus(kept);
        Assignment wanted = target.minus(kept);
        Assignment free = wanted.filter((topicId, partition) -> !ownedByOther.test(topicId, partition));
        boolean unreleased = free.size() < wanted.size();
        if (!toRevoke.isEmpty() && stillOwns(reportedOwned, toRevoke)) {
            // Kafka's rule: the member stays at its epoch and must first say it gave these up.
            return next(current, epochIfRevoking, MemberState.UNREVOKED_PARTITIONS, kept, toRevoke);
        }
        MemberState state = unreleased ? MemberState.UNRELEASED_PARTITIONS : MemberState.STABLE;
        return next(current, targetEpoch, state, kept.union(free), Assignment.EMPTY);
    }

    private static CurrentAssignment next(CurrentAssignment current, int epoch, MemberState state,
                                          Assignment assigned, Assignment pendingRevocation) {
        int previousEpoch = epoch == current.memberEpoch() ? current.previousMemberEpoch() : current.memberEpoch();
        CurrentAssignment next = new CurrentAssignment(epoch, previousEpoch, state, assigned, pendingRevocation);
        return next.equals(current) ? current : next;
    }

    /**
     * Whether the member may still own some of {@code partitions}: it does unless its heartbeat listed what it owns
     * and none of them is among it.
     */
    private static boolean stillOwns(Optional<Assignment> reportedOwned, Assignment partitions) {
        return reportedOwned.map(owned -> owned.overlaps(partitions)).orElse(true);
    }
}
