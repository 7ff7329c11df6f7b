package dev.tributary.broker.group;

import java.util.HashMap;
import java.util.Map;

/**
 * Where a consumer group is heading (KIP-848): the assignment the assignor computed for a group epoch, member by
 * member. Members reconcile towards it independently ({@link MemberReconciliation}); the group is Stable once all
 * have. Immutable.
 *
 * @param epoch   the group epoch it was computed for (the "assignment epoch"); 0 before the first
 * @param members each member's target, by member id; members without an entry get nothing
 */
public record TargetAssignment(int epoch, Map<String, Assignment> members) {

    public static final TargetAssignment NONE = new TargetAssignment(0, Map.of());

    public TargetAssignment {
        members = Map.copyOf(members);
    }

    public Assignment of(String memberId) {
        return members.getOrDefault(memberId, Assignment.EMPTY);
    }

    /** The same target with {@code replacement} in the place of a static member's previous instance. */
    TargetAssignment withMemberReplaced(String previousId, String replacementId) {
        Map<String, Assignment> next = new HashMap<>(members);
        Assignment previous = next.remove(previousId);
        if (previous != null) {
            next.put(replacementId, previous);
        }
        return new TargetAssignment(epoch, next);
    }

    TargetAssignment without(String memberId) {
        if (!members.containsKey(memberId)) {
            return this;
        }
        Map<String, Assignment> next = new HashMap<>(members);
        next.remove(memberId);
        return new TargetAssignment(epoch, next);
    }
}
