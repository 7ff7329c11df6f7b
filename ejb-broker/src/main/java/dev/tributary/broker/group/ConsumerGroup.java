package dev.tributary.broker.group;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ScheduledFuture;
import org.apache.kafka.common.Uuid;

/**
 * One group of the consumer group protocol (KIP-848; Kafka's {@code ConsumerGroup}): its group epoch, its target
 * assignment, its members with their epochs and partitions, and who owns which partition.
 *
 * <p>Epochs: a member joining or leaving, changing its subscription, or a subscribed topic changing (partitions
 * added, the topic deleted or created) bumps the <em>group epoch</em>; the next heartbeat then computes a new
 * target assignment for it (the <em>assignment epoch</em> catches up), and each member reconciles towards its part
 * of that target, reaching the assignment epoch as its <em>member epoch</em>.
 *
 * <p>Invariants, all under the group's monitor:
 * <ul>
 *   <li>every partition is owned (assigned or pending revocation) by at most one member ({@link PartitionOwnership}
 *       is updated with every member change and refuses to break it);</li>
 *   <li>a static member's instance id maps to exactly one member id;</li>
 *   <li>the assignment epoch is at most the group epoch; member epochs are at most the assignment epoch.</li>
 * </ul>
 *
 * <p>State: {@code Empty} without members, {@code Assigning} while the target lags the group epoch,
 * {@code Reconciling} while some member has not reached the target, {@code Stable} otherwise.
 *
 * <p>Durable state changes mark the group {@link #isDirty dirty}; the coordinator writes a {@link #snapshot} to the
 * {@link ConsumerGroupStore} before it answers, and {@link #reset resets} the group to the stored snapshot when the
 * write fails. Timers are not part of it: whoever loads the group schedules them again.
 */
final class ConsumerGroup extends Group {

    /** A member's timer: the task checks that its id is still the member's current one before acting. */
    record MemberTimer(long id, ScheduledFuture<?> future) {
    }

    private int groupEpoch;
    private TargetAssignment target = TargetAssignment.NONE;
    private final Map<String, ConsumerGroupMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    private final PartitionOwnership ownership = new PartitionOwnership();
    private Map<String, SubscribedTopic> subscriptionMetadata = Map.of();

    /** Regular expression to the topics it matched when last resolved; a cache, not durable. */
    private Map<String, SortedSet<String>> resolvedRegexes = Map.of();
    private long regexesResolvedAtMs; // 0: never, so the first heartbeat resolves them

    /** When each member's session ends unless it heartbeats again. */
    private final Map<String, Long> sessionDeadlines = new HashMap<>();
    private final Map<String, MemberTimer> sessionChecks = new HashMap<>();
    private final Map<String, MemberTimer> rebalanceTimeouts = new HashMap<>();
    private long nextTimerId;

    private long storedVersion;
    /** What the store holds (an empty group while it holds nothing): what a failed write goes back to. */
    private ConsumerGroupSnapshot stored;
    private boolean dirty;

    ConsumerGroup(String groupId) {
        super(groupId);
        this.stored = snapshot();
    }

    @Override
    GroupType type() {
        return GroupType.CONSUMER;
    }

    @Override
    GroupState state() {
        if (isDead()) {
            return GroupState.DEAD;
        }
        if (members.isEmpty()) {
            return GroupState.EMPTY;
        }
        if (groupEpoch > target.epoch()) {
            return GroupState.ASSIGNING;
        }
        for (ConsumerGroupMember member : members.values()) {
            if (!member.current().isReconciledTo(target.epoch())) {
                return GroupState.RECONCILING;
            }
        }
        return GroupState.STABLE;
    }

    /** Consumer-protocol members are Kafka consumers: protocol type "consumer", as Kafka lists them. */
    @Override
    Optional<String> protocolType() {
        return Optional.of(ClassicGroup.CONSUMER_PROTOCOL_TYPE);
    }

    @Override
    int size() {
        return members.size();
    }

    @Override
    boolean isEmpty() {
        return members.isEmpty();
    }

    @Override
    boolean isSubscribedTo(String topic) {
        return subscribedTopicNames().contains(topic);
    }

    // ---- epochs and target ----

    int groupEpoch() {
        return groupEpoch;
    }

    void bumpGroupEpoch() {
        groupEpoch++;
        dirty = true;
    }

    TargetAssignment target() {
        return target;
    }

    void target(TargetAssignment next) {
        if (next.epoch() > groupEpoch) {
            throw new IllegalArgumentException("Target epoch " + next.epoch() + " is ahead of group epoch "
                    + groupEpoch);
        }
        target = next;
        dirty = true;
    }

    Map<String, SubscribedTopic> subscriptionMetadata() {
        return subscriptionMetadata;
    }

    void subscriptionMetadata(Map<String, SubscribedTopic> metadata) {
        subscriptionMetadata = Map.copyOf(metadata);
        dirty = true;
    }

    /**
     * What the assignor assigns from: every member (static ones away for now included: they keep their target)
     * with the existing topics it subscribes to, and those topics' partition counts.
     */
    AssignmentSpec assignmentSpec() {
        Map<String, AssignmentSpec.MemberSpec> specs = new HashMap<>();
        for (ConsumerGroupMember member : members.values()) {
            Set<Uuid> topicIds = new TreeSet<>();
            for (String name : subscribedTopicNames(member)) {
                SubscribedTopic topic = subscriptionMetadata.get(name);
                if (topic != null) {
                    topicIds.add(topic.id());
                }
            }
            specs.put(member.memberId(), new AssignmentSpec.MemberSpec(member.instanceId(), topicIds,
                    target.of(member.memberId())));
        }
        Map<Uuid, Integer> partitions = new HashMap<>();
        subscriptionMetadata.values().forEach(topic -> partitions.put(topic.id(), topic.partitions()));
        return new AssignmentSpec(specs, partitions);
    }

    /**
     * The assignor most members asked for; ties go to the one {@code configured} lists first, and without any
     * request to the first configured (Kafka's preferred server assignor).
     */
    String preferredAssignor(List<String> configured) {
        Map<String, Integer> votes = new HashMap<>();
        members.values().forEach(m -> m.subscription().serverAssignor()
                .ifPresent(name -> votes.merge(name, 1, Integer::sum)));
        String best = configured.get(0);
        for (String candidate : configured) {
            if (votes.getOrDefault(candidate, 0) > votes.getOrDefault(best, 0)) {
                best = candidate;
            }
        }
        return best;
    }

    // ---- members ----

    ConsumerGroupMember member(String memberId) {
        return members.get(memberId);
    }

    Collection<ConsumerGroupMember> members() {
        return List.copyOf(members.values());
    }

    /** The member id of the static member with this instance id, or null. */
    String staticMemberId(String instanceId) {
        return staticMembers.get(instanceId);
    }

    /**
     * Adds a member or replaces the one with its id, moving partition ownership from the old version to the new.
     *
     * @throws IllegalStateException if the member would own a partition another member owns; nothing changes
     */
    void put(ConsumerGroupMember member) {
        ConsumerGroupMember previous = members.get(member.memberId());
        if (previous != null) {
            ownership.release(previous.memberId(), previous.current().owned());
        }
        try {
            ownership.take(member.memberId(), member.current().owned());
        } catch (IllegalStateException e) {
            if (previous != null) {
                ownership.take(previous.memberId(), previous.current().owned());
            }
            throw e;
        }
        members.put(member.memberId(), member);
        member.instanceId().ifPresent(instance -> staticMembers.put(instance, member.memberId()));
        dirty = true;
    }

    /** Removes a member with its partitions (free for others from now on), its target and its timers. */
    void remove(String memberId) {
        ConsumerGroupMember member = members.remove(memberId);
        if (member == null) {
            return;
        }
        ownership.release(memberId, member.current().owned());
        member.instanceId().ifPresent(instance -> staticMembers.remove(instance, memberId));
        target = target.without(memberId);
        cancelTimers(memberId);
        dirty = true;
    }

    /**
     * A static member's new instance takes the place of the previous one: its partitions and its target, under
     * the new member id, at epoch 0.
     */
    ConsumerGroupMember replaceStatic(ConsumerGroupMember previous, String newMemberId) {
        ConsumerGroupMember replacement = previous.replacedBy(newMemberId);
        TargetAssignment renamed = target.withMemberReplaced(previous.memberId(), newMemberId);
        remove(previous.memberId());
        target = renamed;
        put(replacement);
        return replacement;
    }

    boolean ownedByOther(String memberId, Uuid topicId, int partition) {
        return ownership.ownedByOther(memberId, topicId, partition);
    }

    // ---- subscriptions ----

    /** Every topic name a member subscribes to, by name or through a regular expression as last resolved. */
    SortedSet<String> subscribedTopicNames() {
        SortedSet<String> names = new TreeSet<>();
        for (ConsumerGroupMember member : members.values()) {
            names.addAll(member.subscription().topicNames());
            member.subscription().topicRegex().map(resolvedRegexes::get).ifPresent(names::addAll);
        }
        return names;
    }

    /** The topics a member subscribes to, by name or through its regular expression as last resolved. */
    SortedSet<String> subscribedTopicNames(ConsumerGroupMember member) {
        SortedSet<String> names = new TreeSet<>(member.subscription().topicNames());
        member.subscription().topicRegex().map(resolvedRegexes::get).ifPresent(names::addAll);
        return names;
    }

    /** The regular expressions members subscribe with. */
    Set<String> regexes() {
        Set<String> regexes = new TreeSet<>();
        members.values().forEach(m -> m.subscription().topicRegex().ifPresent(regexes::add));
        return regexes;
    }

    Map<String, SortedSet<String>> resolvedRegexes() {
        return resolvedRegexes;
    }

    long regexesResolvedAtMs() {
        return regexesResolvedAtMs;
    }

    void resolvedRegexes(Map<String, SortedSet<String>> resolved, long nowMs) {
        resolvedRegexes = Map.copyOf(resolved);
        regexesResolvedAtMs = nowMs;
    }

    // ---- timers ----

    long nextTimerId() {
        return ++nextTimerId;
    }

    Long sessionDeadline(String memberId) {
        return sessionDeadlines.get(memberId);
    }

    void sessionDeadline(String memberId, long deadlineMs) {
        sessionDeadlines.put(memberId, deadlineMs);
    }

    MemberTimer sessionCheck(String memberId) {
        return sessionChecks.get(memberId);
    }

    void sessionCheck(String memberId, MemberTimer check) {
        replace(sessionChecks, memberId, check);
    }

    MemberTimer rebalanceTimeout(String memberId) {
        return rebalanceTimeouts.get(memberId);
    }

    void rebalanceTimeout(String memberId, MemberTimer timeout) {
        replace(rebalanceTimeouts, memberId, timeout);
    }

    void cancelRebalanceTimeout(String memberId) {
        replace(rebalanceTimeouts, memberId, null);
    }

    private void cancelTimers(String memberId) {
        sessionDeadlines.remove(memberId);
        replace(sessionChecks, memberId, null);
        replace(rebalanceTimeouts, memberId, null);
    }

    private static void replace(Map<String, MemberTimer> timers, String memberId, MemberTimer next) {
        MemberTimer previous = next == null ? timers.remove(memberId) : timers.put(memberId, next);
        if (previous != null && previous != next) {
            previous.future().cancel(false);
        }
    }

    @Override
    void cancelTimers() {
        List.copyOf(members.keySet()).forEach(this::cancelTimers);
        List.copyOf(sessionChecks.keySet()).forEach(this::cancelTimers);
        List.copyOf(rebalanceTimeouts.keySet()).forEach(this::cancelTimers);
    }

    // ---- durability ----

    /** Whether durable state changed since the last {@link #stored}. */
    boolean isDirty() {
        return dirty;
    }

    /** The store's version of this group; 0 if the store has none. */
    long storedVersion() {
        return storedVersion;
    }

    /** The store now holds {@code snapshot}, taken of this group as it is, at {@code version}. */
    void stored(ConsumerGroupSnapshot snapshot, long version) {
        stored = snapshot;
        storedVersion = version;
        dirty = false;
    }

    /** Undoes every change since the last {@link #stored}: the store refused them. */
    void resetToStored() {
        reset(stored, storedVersion);
    }

    ConsumerGroupSnapshot snapshot() {
        return new ConsumerGroupSnapshot(groupId(), groupEpoch, target, List.copyOf(members.values()),
                subscriptionMetadata);
    }

    /**
     * Makes this group what {@code snapshot} says (version {@code version} in the store): after a load, or to undo
     * changes the store refused. Timers of members the snapshot does not have are cancelled; the caller schedules
     * those of the members it has.
     *
     * @throws IllegalStateException if the snapshot gives a partition to two members
     */
    void reset(ConsumerGroupSnapshot snapshot, long version) {
        List.copyOf(members.keySet()).forEach(this::cancelTimers);
        members.clear();
        staticMembers.clear();
        ownership.clear();
        groupEpoch = snapshot.groupEpoch();
        target = snapshot.target();
        subscriptionMetadata = snapshot.subscriptionMetadata();
        snapshot.members().forEach(this::put);
        stored(snapshot, version);
    }
}
