package dev.tributary.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/** The reconciliation state machine of KIP-848, step by step, as a member's heartbeats drive it. */
class MemberReconciliationTest {

    private static final Uuid T = Uuid.randomUuid();
    private static final Uuid U = Uuid.randomUuid();

    private static Assignment of(Integer... partitions) {
        return Assignment.of(T, List.of(partitions));
    }

    private static CurrentAssignment stable(int epoch, Assignment assigned) {
        return new CurrentAssignment(epoch, epoch - 1, MemberState.STABLE, assigned, Assignment.EMPTY);
    }

    /** Nobody else owns anything. */
    private static boolean free(Uuid topicId, Integer partition) {
        return false;
    }

    @Test
    void aJoiningMemberGetsItsWholeTargetAtTheTargetEpochWhenNobodyOwnsIt() {
        CurrentAssignment next = MemberReconciliation.next(CurrentAssignment.JOINING, 3, of(0, 1, 2),
                MemberReconciliationTest::free, Optional.of(Assignment.EMPTY));
        assertEquals(new CurrentAssignment(3, 0, MemberState.STABLE, of(0, 1, 2), Assignment.EMPTY), next);
    }

    @Test
    void aMemberReconciledToTheTargetEpochStaysAsItIs() {
        CurrentAssignment current = stable(4, of(0, 1));
        assertSame(current, MemberReconciliation.next(current, 4, of(0, 1), MemberReconciliationTest::free,
                Optional.empty()));
    }

    /** No global barrier: losing partitions holds the member at its epoch until it says it revoked them. */
    @Test
    void partitionsTakenAwayMustBeRevokedBeforeTheMemberMovesOn() {
        CurrentAssignment current = stable(4, of(0, 1, 2));
        CurrentAssignment revoking = MemberReconciliation.next(current, 5, of(0), MemberReconciliationTest::free,
                Optional.of(of(0, 1, 2)));
        assertEquals(new CurrentAssignment(4, 3, MemberState.UNREVOKED_PARTITIONS, of(0), of(1, 2)), revoking);
        assertEquals(Set.of(0, 1, 2), revoking.owned().partitions(T), "revoked partitions are still owned");

        assertSame(revoking, MemberReconciliation.next(revoking, 5, of(0), MemberReconciliationTest::free,
                Optional.of(of(0, 2))), "still owns 2: waits");
        assertSame(revoking, MemberReconciliation.next(revoking, 5, of(0), MemberReconciliationTest::free,
                Optional.empty()), "a heartbeat that does not say what it owns proves nothing");

        CurrentAssignment revoked = MemberReconciliation.next(revoking, 5, of(0), MemberReconciliationTest::free,
                Optional.of(of(0)));
        assertEquals(new CurrentAssignment(5, 4, MemberState.STABLE, of(0), Assignment.EMPTY), revoked);
    }

    @Test
    void aMemberThatAlreadyDroppedThePartitionsSkipsTheRevokingStep() {
        CurrentAssignment next = MemberReconciliation.next(stable(4, of(0, 1)), 5, of(0),
                MemberReconciliationTest::free, Optional.of(of(0)));
        assertEquals(new CurrentAssignment(5, 4, MemberState.STABLE, of(0), Assignment.EMPTY), next);
    }

    /** A partition reaches its new owner only once its old owner no longer owns it. */
    @Test
    void partitionsOwnedByOthersAreAssignedOnlyOnceReleased() {
        boolean[] released = {false};
        CurrentAssignment waiting = MemberReconciliation.next(stable(4, of(0)), 5, of(0, 1, 2),
                (topic, partition) -> partition == 2 && !released[0], Optional.of(of(0)));
        assertEquals(new CurrentAssignment(5, 4, MemberState.UNRELEASED_PARTITIONS, of(0, 1), Assignment.EMPTY),
                waiting);

        assertSame(waiting, MemberReconciliation.next(waiting, 5, of(0, 1, 2),
                (topic, partition) -> partition == 2 && !released[0], Optional.of(of(0, 1))));
        released[0] = true;
        CurrentAssignment complete = MemberReconciliation.next(waiting, 5, of(0, 1, 2),
                (topic, partition) -> partition == 2 && !released[0], Optional.of(of(0, 1)));
        assertEquals(new CurrentAssignment(5, 4, MemberState.STABLE, of(0, 1, 2), Assignment.EMPTY), complete);
    }

    @Test
    void aRevokingMemberWhoseTargetMovedOnAgainRevokesAgainAtTheNextEpoch() {
        CurrentAssignment revoking = new CurrentAssignment(4, 3, MemberState.UNREVOKED_PARTITIONS, of(0, 1), of(2));
        CurrentAssignment next = MemberReconciliation.next(revoking, 6, of(0), MemberReconciliationTest::free,
                Optional.of(of(0, 1)));
        assertEquals(new CurrentAssignment(5, 4, MemberState.UNREVOKED_PARTITIONS, of(0), of(1)), next);
    }

    @Test
    void revocationComesBeforeNewPartitionsAcrossTopics() {
        Assignment current = Assignment.of(T, List.of(0, 1));
        Assignment target = Assignment.of(T, List.of(0)).union(Assignment.of(U, List.of(0)));
        CurrentAssignment next = MemberReconciliation.next(stable(2, current), 3, target,
                MemberReconciliationTest::free, Optional.of(current));
        assertEquals(MemberState.UNREVOKED_PARTITIONS, next.state());
        assertEquals(Assignment.of(T, List.of(0)), next.assigned(), "nothing new while revoking");
        assertEquals(Assignment.of(T, List.of(1)), next.pendingRevocation());

        CurrentAssignment after = MemberReconciliation.next(next, 3, target, MemberReconciliationTest::free,
                Optional.of(Assignment.of(T, List.of(0))));
        assertEquals(new CurrentAssignment(3, 2, MemberState.STABLE, target, Assignment.EMPTY), after);
    }
}
