package dev.tributary.broker.group;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.apache.kafka.common.message.ConsumerProtocolSubscription;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;

/**
 * One classic group (Kafka's {@code ClassicGroup}): its state, generation, leader, chosen protocol, members, and
 * the members that still have to join or sync.
 *
 * <p>Invariants, all under the group's monitor:
 * <ul>
 *   <li>{@code EMPTY} and {@code DEAD} groups have no members; a group with members has a protocol type, which
 *       every member shares, and a leader among them;</li>
 *   <li>after a generation's join phase every member supports the selected protocol;</li>
 *   <li>a static member's instance id maps to exactly one member id.</li>
 * </ul>
 *
 * <p>Concurrency: every access holds the group's monitor, as for every {@link Group}.
 */
final class ClassicGroup extends Group {

    /** The protocol type of Kafka consumers; their subscriptions can be read for OffsetDelete. */
    static final String CONSUMER_PROTOCOL_TYPE = "consumer";

    private GroupState state = GroupState.EMPTY;
    private int generationId;
    private String protocolType;
    private String protocolName;
    private String leaderId;
    private final Map<String, ClassicGroupMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    /** Member ids handed out with MEMBER_ID_REQUIRED whose second JoinGroup has not arrived, with their expiry. */
    private final Map<String, ScheduledFuture<?>> pendingMembers = new HashMap<>();
    /** Members of this generation that have not sent SyncGroup yet. */
    private final Set<String> pendingSyncMembers = new HashSet<>();
    private int awaitingJoinCount;
    /** The first rebalance of an empty group waits out the initial delay even when everyone known has joined. */
    private boolean inInitialDelay;
    private boolean newMemberAdded;
    private ScheduledFuture<?> joinTimer;
    private long joinTimerEpoch;
    private ScheduledFuture<?> syncTimer;
    /** Topics the consumer members subscribe to; empty when they cannot be read (not a consumer group). */
    private Optional<Set<String>> subscribedTopics = Optional.empty();

    ClassicGroup(String groupId) {
        super(groupId);
    }

    @Override
    GroupType type() {
        return GroupType.CLASSIC;
    }

    @Override
    GroupState state() {
        return isDead() ? GroupState.DEAD : state;
    }

    boolean isIn(GroupState candidate) {
        return state() == candidate;
    }

    void transitionTo(GroupState next) {
        state = next;
    }

    int generationId() {
        return generationId;
    }

    @Override
    Optional<String> protocolType() {
        return Optional.ofNullable(protocolType);
    }

    Optional<String> protocolName() {
        return Optional.ofNullable(protocolName);
    }

    Optional<String> leaderId() {
        return Optional.ofNullable(leaderId);
    }

    boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    // ---- members ----

    Collection<ClassicGroupMember> members() {
        return List.copyOf(members.values());
    }

    @Override
    int size() {
        return members.size();
    }

    @Override
    boolean isEmpty() {
        return state() == GroupState.EMPTY;
    }

    boolean hasMembers() {
        return !members.isEmpty();
    }

    ClassicGroupMember member(String memberId) {
        return members.get(memberId);
    }

    String staticMemberId(String groupInstanceId) {
        return staticMembers.get(groupInstanceId);
    }

    /**
     * Kafka's member validation: a static member is identified by its instance id, and a request of an older
     * instance (another member id) is fenced; a dynamic member by its member id.
     */
    Errors validateMember(String memberId, String groupInstanceId) {
        if (groupInstanceId != null) {
            String current = staticMembers.get(groupInstanceId);
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            return current.equals(memberId) ? Errors.NONE : Errors.FENCED_INSTANCE_ID;
        }
        return members.containsKey(memberId) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }

    /** Adds a member; the first member of a group without members sets the group's protocol type. */
    void add(ClassicGroupMember member, String memberProtocolType) {
        if (members.isEmpty()) {
            protocolType = memberProtocolType;
        }
        members.put(member.memberId(), member);
        member.groupInstanceId().ifPresent(id -> staticMembers.put(id, member.memberId()));
        if (member.isAwaitingJoin()) {
            awaitingJoinCount++;
        }
        if (leaderId == null) {
            leaderId = member.memberId();
        }
    }

    /**
     * Removes a member. Its parked requests are left for the caller to answer (it knows why the member went);
     * its liveness check is cancelled.
     */
    void remove(ClassicGroupMember member) {
        members.remove(member.memberId());
        member.groupInstanceId().ifPresent(id -> staticMembers.remove(id, member.memberId()));
        pendingSyncMembers.remove(member.memberId());
        if (member.isAwaitingJoin()) {
            awaitingJoinCount--;
        }
        member.cancelExpiryCheck();
        if (member.memberId().equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
    }

    /** Puts a static member's replacement (same instance id, new member id) in the old member's place. */
    void replaceStatic(ClassicGroupMember old, ClassicGroupMember replacement) {
        // Rebuilt in order so that the replacement keeps the old member's position (and with it leadership order).
        Map<String, ClassicGroupMember> reordered = new LinkedHashMap<>();
        members.forEach((id, member) -> reordered.put(id.equals(old.memberId()) ? replacement.memberId() : id,
                id.equals(old.memberId()) ? replacement : member));
        members.clear();
        members.putAll(reordered);
        staticMembers.put(replacement.groupInstanceId().orElseThrow(), replacement.memberId());
        if (pendingSyncMembers.remove(old.memberId())) {
            pendingSyncMembers.add(replacement.memberId());
        }
        if (old.isAwaitingJoin()) {
            awaitingJoinCount--;
        }
        old.cancelExpiryCheck();
        if (old.memberId().equals(leaderId)) {
            leaderId = replacement.memberId();
        }
    }

    /**
     * Parks a member's JoinGroup until the join phase completes.
     *
     * @return the join of the same member this one supersedes (its client gave up on it), or null
     */
    ClassicGroupMember.PendingJoin park(ClassicGroupMember member, ClassicGroupMember.PendingJoin join, long nowMs) {
        ClassicGroupMember.PendingJoin superseded = member.awaitJoin(join, nowMs);
        if (superseded == null) {
            awaitingJoinCount++;
        }
        return superseded;
    }

    /** Takes a member's parked JoinGroup, to answer it; null if none is parked. */
    ClassicGroupMember.PendingJoin unpark(ClassicGroupMember member) {
        ClassicGroupMember.PendingJoin join = member.takePendingJoin();
        if (join != null) {
            awaitingJoinCount--;
        }
        return join;
    }

    boolean hasAllMembersJoined() {
        return awaitingJoinCount == members.size() && pendingMembers.isEmpty();
    }

    /** Keeps the current leader if it rejoined, else makes the first member that rejoined the leader. */
    boolean electJoinedLeader() {
        ClassicGroupMember leader = leaderId == null ? null : members.get(leaderId);
        if (leader != null && leader.isAwaitingJoin()) {
            return true;
        }
        for (ClassicGroupMember member : members.values()) {
            if (member.isAwaitingJoin()) {
                leaderId = member.memberId();
                return true;
            }
        }
        return false;
    }

    int rebalanceTimeoutMs() {
        return members.values().stream().mapToInt(ClassicGroupMember::rebalanceTimeoutMs).max().orElse(0);
    }

    // ---- pending members (MEMBER_ID_REQUIRED) ----

    boolean isPending(String memberId) {
        return pendingMembers.containsKey(memberId);
    }

    void addPending(String memberId, ScheduledFuture<?> expiry) {
        pendingMembers.put(memberId, expiry);
    }

    boolean removePending(String memberId) {
        ScheduledFuture<?> expiry = pendingMembers.remove(memberId);
        if (expiry != null) {
            expiry.cancel(false);
        }
        return expiry != null;
    }

    // ---- pending syncs ----

    Set<String> pendingSyncMembers() {
        return Set.copyOf(pendingSyncMembers);
    }

    void synced(String memberId) {
        pendingSyncMembers.remove(memberId);
        if (pendingSyncMembers.isEmpty()) {
            cancelSyncTimer();
        }
    }

    // ---- protocols ----

    /**
     * Whether a member joining with these protocols can be in this group: the first member of a group needs some
     * protocol; a later one must share the group's protocol type and support a protocol every other member supports.
     */
    boolean supportsProtocols(String memberId, String memberProtocolType,
                              List<ClassicGroupMember.Protocol> memberProtocols) {
        if (memberProtocolType == null || memberProtocolType.isEmpty() || memberProtocols.isEmpty()) {
            return false;
        }
        List<ClassicGroupMember> others = members.values().stream()
                .filter(m -> !m.memberId().equals(memberId)).toList();
        if (others.isEmpty()) {
            return true;
        }
        if (!memberProtocolType.equals(protocolType)) {
            return false;
        }
        return memberProtocols.stream().anyMatch(p -> others.stream().allMatch(m -> m.supports(p.name())));
    }

    /**
     * Kafka's protocol selection: among the protocols every member supports, each member votes for the one it
     * prefers most and the one with most votes wins. Ties go to the protocol the longest-standing member prefers,
     * so that the choice is deterministic.
     */
    String selectProtocol() {
        List<ClassicGroupMember> all = List.copyOf(members.values());
        Set<String> candidates = new LinkedHashSet<>();
        all.get(0).protocols().forEach(p -> candidates.add(p.name()));
        all.forEach(m -> candidates.removeIf(name -> !m.supports(name)));
        if (candidates.isEmpty()) {
            throw new IllegalStateException("Members of group " + groupId() + " share no protocol");
        }
        Map<String, Integer> votes = new HashMap<>();
        for (ClassicGroupMember member : all) {
            member.protocols().stream().map(ClassicGroupMember.Protocol::name).filter(candidates::contains)
                    .findFirst().ifPresent(name -> votes.merge(name, 1, Integer::sum));
        }
        String best = null;
        for (String candidate : candidates) { // in preference order, so the first of equals wins
            if (best == null || votes.getOrDefault(candidate, 0) > votes.getOrDefault(best, 0)) {
                best = candidate;
            }
        }
        return best;
    }

    /**
     * Ends a join phase: the next generation, with a selected protocol and in CompletingRebalance, or Empty when
     * no member is left.
     */
    void initNextGeneration() {
        generationId++;
        pendingSyncMembers.clear();
        if (members.isEmpty()) {
            protocolName = null;
            subscribedTopics = Optional.empty();
            state = GroupState.EMPTY;
        } else {
            protocolName = selectProtocol();
            subscribedTopics = readSubscribedTopics();
            pendingSyncMembers.addAll(members.keySet());
            state = GroupState.COMPLETING_REBALANCE;
        }
    }

    /** Whether a consumer member subscribes to the topic; unknown subscriptions count as subscribed, to be safe. */
    @Override
    boolean isSubscribedTo(String topic) {
        return subscribedTopics.map(topics -> topics.contains(topic)).orElse(true);
    }

    private Optional<Set<String>> readSubscribedTopics() {
        if (!CONSUMER_PROTOCOL_TYPE.equals(protocolType)) {
            return Optional.empty();
        }
        Set<String> topics = new HashSet<>();
        try {
            for (ClassicGroupMember member : members.values()) {
                ByteBuffer buffer = ByteBuffer.wrap(member.metadata(protocolName));
                short version = buffer.getShort();
                // Newer clients' subscriptions are read with the newest version we know, as Kafka does.
                short readable = (short) Math.min(version, ConsumerProtocolSubscription.HIGHEST_SUPPORTED_VERSION);
                topics.addAll(new ConsumerProtocolSubscription(new ByteBufferAccessor(buffer), readable).topics());
            }
        } catch (RuntimeException e) {
            return Optional.empty(); // not Kafka's consumer protocol after all
        }
        return Optional.of(topics);
    }

    // ---- rebalance timers ----

    boolean inInitialDelay() {
        return inInitialDelay;
    }

    void inInitialDelay(boolean delaying) {
        inInitialDelay = delaying;
        newMemberAdded = false;
    }

    /** @return whether a member was added since the last call */
    boolean takeNewMemberAdded() {
        boolean added = newMemberAdded;
        newMemberAdded = false;
        return added;
    }

    void newMemberAdded() {
        newMemberAdded = true;
    }

    /**
     * Installs the join-phase timer, replacing any other. A timer's task checks {@link #isCurrentJoinTimer} with the
     * epoch it was scheduled under: a cancelled task may already be running, blocked on the group's monitor.
     */
    void joinTimer(long epoch, ScheduledFuture<?> timer) {
        if (epoch == joinTimerEpoch) {
            joinTimer = timer;
        } else {
            timer.cancel(false);
        }
    }

    /** Cancels the join-phase timer; @return the epoch a new timer is to be scheduled under */
    long cancelJoinTimer() {
        if (joinTimer != null) {
            joinTimer.cancel(false);
            joinTimer = null;
        }
        return ++joinTimerEpoch;
    }

    boolean isCurrentJoinTimer(long epoch) {
        return epoch == joinTimerEpoch;
    }

    void syncTimer(ScheduledFuture<?> timer) {
        cancelSyncTimer();
        syncTimer = timer;
    }

    void cancelSyncTimer() {
        if (syncTimer != null) {
            syncTimer.cancel(false);
            syncTimer = null;
        }
    }

    @Override
    void cancelTimers() {
        cancelJoinTimer();
        cancelSyncTimer();
        pendingMembers.values().forEach(timer -> timer.cancel(false));
        members.values().forEach(ClassicGroupMember::cancelExpiryCheck);
    }

    // ---- lifecycle ----

    /** A group is not kept while a member id handed out with MEMBER_ID_REQUIRED may still join it. */
    @Override
    boolean isUnused() {
        return super.isUnused() && members.isEmpty() && pendingMembers.isEmpty();
    }
}
