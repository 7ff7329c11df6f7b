package dev.tributary.broker.group;

import dev.tributary.broker.group.ClassicGroupMember.PendingJoin;
import dev.tributary.broker.group.ClassicGroupMember.PendingSync;
import dev.tributary.broker.group.ClassicGroupMember.Protocol;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Kafka's classic group membership protocol with client-side assignment: JoinGroup, SyncGroup, Heartbeat and
 * LeaveGroup, and the timers that move a group through its rebalances. Follows Kafka's
 * {@code GroupMetadataManager} (classic groups) request by request, including its error codes, so that unmodified
 * Kafka clients (eager and cooperative assignors, static membership) behave as they do against Kafka.
 *
 * <p>A rebalance: a join (new member, changed metadata, the leader rejoining) or a departure moves the group to
 * PreparingRebalance; members learn of it from REBALANCE_IN_PROGRESS on their heartbeats and rejoin. The join phase
 * ends when every known member has rejoined, or when the rebalance timeout (the largest of the members') passes;
 * dynamic members that did not rejoin are then dropped. Everyone gets the next generation's JoinGroup response, the
 * leader with every member's metadata; the leader's SyncGroup carries the assignment, which the others' SyncGroups
 * return. Members that do not sync within the rebalance timeout are dropped and the group rebalances again.
 *
 * <p>Timers: one liveness check per member, rescheduled lazily (a heartbeat only moves the member's deadline; the
 * check, when it fires early, reschedules itself at the deadline), so heartbeats cost no scheduler traffic. Every
 * timer task re-checks under the group's monitor that it is still current, since cancellation can race with it.
 *
 * <p>Concurrency: every method works on a group under its monitor, through {@link Groups}.
 *
 * <p><b>Size.</b> JoinGroup, SyncGroup, Heartbeat, LeaveGroup and the three timers are transitions of one state
 * machine over one group's state under its monitor, each checked against the others it can race with; Kafka's
 * {@code GroupMetadataManager} keeps them together for the same reason. What is not a transition (the group's
 * state, its members, offsets, placement) lives in {@link ClassicGroup}, {@link ClassicGroupMember},
 * {@link OffsetProtocol} and {@link CoordinatorPlacement}.
 */
final class MembershipProtocol {

    private static final Logger LOG = Logger.getLogger(MembershipProtocol.class.getName());
    /** What a client sends as its member id before the coordinator gave it one. */
    static final String UNKNOWN_MEMBER_ID = "";

    private final Groups groups;
    private final GroupCoordinatorConfig config;
    private final GroupTimers timers;
    private final Clock clock;

    MembershipProtocol(Groups groups, GroupCoordinatorConfig config, GroupTimers timers, Clock clock) {
        this.groups = groups;
        this.config = config;
        this.timers = timers;
        this.clock = clock;
    }

    // ---- JoinGroup ----

    /** A JoinGroup with the version differences resolved. */
    private record Join(String groupId, String memberId, String groupInstanceId, String clientId, String clientHost,
                        int sessionTimeoutMs, int rebalanceTimeoutMs, String protocolType, List<Protocol> protocols,
                        String reason, PendingJoin pending) {

        static Join of(JoinGroupRequestData request, short version, String clientId, String clientHost,
                       CompletableFuture<JoinGroupResponseData> response) {
            List<Protocol> protocols = new ArrayList<>();
            request.protocols().forEach(p -> protocols.add(new Protocol(p.name(), p.metadata())));
            // v0 has no rebalance timeout: the session timeout bounded the join phase.
            int rebalanceTimeout = version == 0 || request.rebalanceTimeoutMs() < 0
                    ? request.sessionTimeoutMs() : request.rebalanceTimeoutMs();
            return new Join(request.groupId(), Objects.requireNonNullElse(request.memberId(), UNKNOWN_MEMBER_ID),
                    version >= 5 ? request.groupInstanceId() : null, Objects.requireNonNullElse(clientId, ""),
                    Objects.requireNonNullElse(clientHost, ""), request.sessionTimeoutMs(), rebalanceTimeout,
                    request.protocolType(), protocols, request.reason(), new PendingJoin(response, version));
        }

        short version() {
            return pending.version();
        }

        CompletableFuture<JoinGroupResponseData> response() {
            return pending.response();
        }
    }

    CompletableFuture<JoinGroupResponseData> join(JoinGroupRequestData request, short version, String clientId,
                                                  String clientHost) {
        CompletableFuture<JoinGroupResponseData> response = new CompletableFuture<>();
        Join join = Join.of(request, version, clientId, clientHost, response);
        if (join.sessionTimeoutMs < config.minSessionTimeoutMs()
                || join.sessionTimeoutMs > config.maxSessionTimeoutMs()) {
            response.complete(joinError(Errors.INVALID_SESSION_TIMEOUT, join.memberId, version));
        } else if (join.memberId.equals(UNKNOWN_MEMBER_ID)) {
            groups.withGroupAs(join.groupId, ClassicGroup.class, ClassicGroup::new, group -> {
                joinNewMember(group, join);
                return null;
            }, consumerGroup -> refuseMixedMembership(consumerGroup, join));
        } else {
            groups.withGroup(join.groupId, group -> {
                if (group instanceof ClassicGroup classic) {
                    joinKnownMember(classic, join);
                } else if (group.isEmpty()) {
                    // Rejoining without a member id converts the empty consumer group back to a classic one.
                    group.complete(response, joinError(Errors.UNKNOWN_MEMBER_ID, join.memberId, version));
                } else {
                    refuseMixedMembership(group, join);
                }
                return null;
            }, () -> response.complete(joinError(Errors.UNKNOWN_MEMBER_ID, join.memberId, version)));
        }
        return response;
    }

    /**
     * A classic member cannot join a consumer group that has members: Kafka 4 would take it in and translate its
     * JoinGroup/SyncGroup into the consumer protocol (online upgrade); this coordinator does not mix the protocols
     * in one group, and answers INCONSISTENT_GROUP_PROTOCOL, which stock clients report as a fatal error.
     */
    private Void refuseMixedMembership(Group consumerGroup, Join join) {
        LOG.info(() -> "Refused classic member " + (join.memberId.isEmpty() ? join.clientId : join.memberId)
                + " of group " + consumerGroup.groupId() + ": the group is a consumer group with "
                + consumerGroup.size() + " member(s) (group.protocol=consumer); protocols are not mixed in one group");
        consumerGroup.complete(join.response(), joinError(Errors.INCONSISTENT_GROUP_PROTOCOL, join.memberId,
                join.version()));
        return null;
    }

    /** Runs {@code work} on a classic group; a consumer group (or none) knows no classic member. */
    private <T> T withClassicGroup(String groupId, Function<ClassicGroup, T> work, Supplier<T> unknownMember) {
        return groups.withGroup(groupId,
                group -> group instanceof ClassicGroup classic ? work.apply(classic) : unknownMember.get(),
                unknownMember);
    }

    private void joinNewMember(ClassicGroup group, Join join) {
        String replaced = join.groupInstanceId == null ? null : group.staticMemberId(join.groupInstanceId);
        if (!group.supportsProtocols(replaced, join.protocolType, join.protocols)) {
            group.complete(join.response(), joinError(Errors.INCONSISTENT_GROUP_PROTOCOL, join.memberId,
                    join.version()));
        } else if (join.groupInstanceId != null) {
            // Static members are known by their instance id: no MEMBER_ID_REQUIRED round trip.
            String memberId = join.groupInstanceId + "-" + UUID.randomUUID();
            if (replaced == null) {
                addMemberAndRebalance(group, join, memberId);
            } else {
                replaceStaticMember(group, join, group.member(replaced), memberId);
            }
        } else if (join.version() >= 4) {
            // KIP-394: the member id is handed out first and the member joins with it; a client that loses this
            // response and retries leaves only a pending id behind (expiring after its session timeout), not a
            // member the rebalance would wait for.
            String memberId = join.clientId + "-" + UUID.randomUUID();
            group.addPending(memberId, schedule(group, join.sessionTimeoutMs, () -> expirePending(group, memberId)));
            group.complete(join.response(), joinError(Errors.MEMBER_ID_REQUIRED, memberId, join.version()));
        } else {
            addMemberAndRebalance(group, join, join.clientId + "-" + UUID.randomUUID());
        }
    }

    private void joinKnownMember(ClassicGroup group, Join join) {
        if (!group.supportsProtocols(join.memberId, join.protocolType, join.protocols)) {
            group.complete(join.response(), joinError(Errors.INCONSISTENT_GROUP_PROTOCOL, join.memberId,
                    join.version()));
            return;
        }
        if (join.groupInstanceId == null && group.removePending(join.memberId)) {
            addMemberAndRebalance(group, join, join.memberId);
            return;
        }
        Errors error = group.validateMember(join.memberId, join.groupInstanceId);
        if (error != Errors.NONE) {
            group.complete(join.response(), joinError(error, join.memberId, join.version()));
            return;
        }
        ClassicGroupMember member = group.member(join.memberId);
        boolean sameMetadata = member.matches(join.protocols);
        switch (group.state()) {
            case PREPARING_REBALANCE -> updateMemberAndRebalance(group, member, join);
            case COMPLETING_REBALANCE -> {
                if (sameMetadata) {
                    // It lost this generation's JoinGroup response: send it again.
                    boolean leader = group.isLeader(member.memberId());
                    group.complete(join.response(), joined(group, member.memberId(), join.version(), leader, false));
                } else {
                    updateMemberAndRebalance(group, member, join);
                }
            }
            case STABLE -> {
                if (group.isLeader(member.memberId()) || !sameMetadata) {
                    // A leader rejoins to have the assignment recomputed (e.g. partitions were added); any member
                    // rejoins with new metadata after a subscription change or, with cooperative assignors, after
                    // revoking partitions: its owned partitions are part of its metadata.
                    updateMemberAndRebalance(group, member, join);
                } else {
                    group.complete(join.response(), joined(group, member.memberId(), join.version(), false, false));
                }
            }
            default -> group.complete(join.response(), joinError(Errors.UNKNOWN_MEMBER_ID, join.memberId,
                    join.version()));
        }
    }

    private void addMemberAndRebalance(ClassicGroup group, Join join, String memberId) {
        long now = clock.millis();
        ClassicGroupMember member = new ClassicGroupMember(memberId, join.groupInstanceId, join.clientId,
                join.clientHost, join.sessionTimeoutMs, join.rebalanceTimeoutMs, join.protocols, now);
        group.add(member, join.protocolType);
        group.park(member, join.pending, now);
        if (group.isIn(GroupState.PREPARING_REBALANCE)) {
            group.newMemberAdded();
        }
        scheduleExpiryCheck(group, member, member.sessionTimeoutMs());
        prepareRebalanceOrCompleteJoin(group, "member " + memberId + " joined" + reason(join));
    }

    private void updateMemberAndRebalance(ClassicGroup group, ClassicGroupMember member, Join join) {
        member.update(join.clientId, join.clientHost, join.sessionTimeoutMs, join.rebalanceTimeoutMs,
                join.protocols);
        parkJoin(group, member, join);
        prepareRebalanceOrCompleteJoin(group, "member " + member.memberId() + " rejoined" + reason(join));
    }

    /**
     * KIP-345: a static member restarting (same instance id, no member id) takes its predecessor's place. Its
     * predecessor is fenced. In a Stable group whose protocols it does not change, it just gets the current
     * generation and its old assignment back, without a rebalance; otherwise the group rebalances.
     */
    private void replaceStaticMember(ClassicGroup group, Join join, ClassicGroupMember old, String newMemberId) {
        boolean protocolsUnchanged = old.matches(join.protocols);
        ClassicGroupMember member = old.replacedBy(newMemberId, clock.millis());
        member.update(join.clientId, join.clientHost, join.sessionTimeoutMs, join.rebalanceTimeoutMs,
                join.protocols);
        group.replaceStatic(old, member);
        PendingJoin oldJoin = old.takePendingJoin();
        if (oldJoin != null) {
            group.complete(oldJoin.response(), joinError(Errors.FENCED_INSTANCE_ID, old.memberId(),
                    oldJoin.version()));
        }
        PendingSync oldSync = old.takePendingSync();
        if (oldSync != null) {
            group.complete(oldSync.response(), syncError(Errors.FENCED_INSTANCE_ID));
        }
        scheduleExpiryCheck(group, member, member.sessionTimeoutMs());
        LOG.info(() -> "Static member " + join.groupInstanceId + " of group " + group.groupId() + " rejoined as "
                + newMemberId + ", replacing " + old.memberId());
        switch (group.state()) {
            case STABLE -> {
                if (protocolsUnchanged && group.protocolName().orElseThrow().equals(group.selectProtocol())) {
                    boolean leader = group.isLeader(newMemberId);
                    // A static leader keeps the assignment it computed; v9+ tells it not to compute another.
                    group.complete(join.response(), joined(group, newMemberId, join.version(), leader, leader));
                } else {
                    parkJoin(group, member, join);
                    prepareRebalance(group, "static member " + join.groupInstanceId + " rejoined with new metadata");
                }
            }
            case COMPLETING_REBALANCE -> {
                // The leader may already be assigning to the old member id, which the new one would never receive.
                parkJoin(group, member, join);
                prepareRebalance(group, "static member " + join.groupInstanceId + " rejoined during a sync");
            }
            case PREPARING_REBALANCE -> {
                parkJoin(group, member, join);
                maybeCompleteJoin(group);
            }
            default -> throw new IllegalStateException("Group " + group.groupId() + " has members but is "
                    + group.state());
        }
    }

    private void parkJoin(ClassicGroup group, ClassicGroupMember member, Join join) {
        PendingJoin superseded = group.park(member, join.pending, clock.millis());
        if (superseded != null) {
            // Only a client that gave up on that request sends another join; nobody reads this answer.
            group.complete(superseded.response(), joinError(Errors.REBALANCE_IN_PROGRESS, member.memberId(),
                    superseded.version()));
        }
    }

    // ---- rebalance ----

    private void prepareRebalanceOrCompleteJoin(ClassicGroup group, String reason) {
        if (group.isIn(GroupState.PREPARING_REBALANCE)) {
            maybeCompleteJoin(group);
        } else {
            prepareRebalance(group, reason);
        }
    }

    private void prepareRebalance(ClassicGroup group, String reason) {
        if (group.isIn(GroupState.COMPLETING_REBALANCE)) {
            // This generation's assignment will never come: members waiting for it rejoin.
            for (ClassicGroupMember member : group.members()) {
                PendingSync sync = member.takePendingSync();
                if (sync != null) {
                    group.complete(sync.response(), syncError(Errors.REBALANCE_IN_PROGRESS));
                }
            }
        }
        group.cancelSyncTimer();
        boolean initial = group.isIn(GroupState.EMPTY);
        group.transitionTo(GroupState.PREPARING_REBALANCE);
        LOG.info(() -> "Group " + group.groupId() + " is rebalancing from generation " + group.generationId()
                + ": " + reason);
        if (initial) {
            group.inInitialDelay(true);
            int delay = config.initialRebalanceDelayMs();
            scheduleInitialJoin(group, delay, Math.max(group.rebalanceTimeoutMs() - delay, 0));
        } else {
            scheduleJoinTimeout(group);
            maybeCompleteJoin(group);
        }
    }

    /**
     * The first rebalance of an empty group waits {@code initialRebalanceDelayMs}, and again as long as members keep
     * arriving, until the rebalance timeout is used up (Kafka's {@code InitialDelayedJoin}).
     */
    private void scheduleInitialJoin(ClassicGroup group, int delayMs, int remainingMs) {
        long epoch = group.cancelJoinTimer();
        group.joinTimer(epoch, schedule(group, delayMs, () -> {
            if (!group.isCurrentJoinTimer(epoch) || !group.isIn(GroupState.PREPARING_REBALANCE)) {
                return;
            }
            if (group.takeNewMemberAdded() && remainingMs > 0) {
                int next = Math.min(config.initialRebalanceDelayMs(), remainingMs);
                scheduleInitialJoin(group, next, remainingMs - next);
            } else {
                completeJoin(group);
            }
        }));
    }

    private void scheduleJoinTimeout(ClassicGroup group) {
        long epoch = group.cancelJoinTimer();
        group.joinTimer(epoch, schedule(group, group.rebalanceTimeoutMs(), () -> {
            if (group.isCurrentJoinTimer(epoch)) {
                completeJoin(group);
            }
        }));
    }

    private void maybeCompleteJoin(ClassicGroup group) {
        if (group.isIn(GroupState.PREPARING_REBALANCE) && !group.inInitialDelay() && group.hasAllMembersJoined()) {
            completeJoin(group);
        }
    }

    /** Ends the join phase: everyone who rejoined gets the next generation; the leader gets the members. */
    private void completeJoin(ClassicGroup group) {
        if (!group.isIn(GroupState.PREPARING_REBALANCE)) {
            return;
        }
        group.cancelJoinTimer();
        group.inInitialDelay(false);
        for (ClassicGroupMember member : group.members()) {
            // Static members keep their place across a missed join (they are expected back: that is the point of
            // static membership); if they stay away, the session or pending-sync timeout removes them.
            if (!member.isAwaitingJoin() && !member.isStatic()) {
                LOG.info(() -> "Removing member " + member.memberId() + " of group " + group.groupId()
                        + ": it did not rejoin within the rebalance timeout");
                removeMember(group, member);
            }
        }
        if (group.hasMembers() && !group.electJoinedLeader()) {
            // Nobody rejoined (only absent static members are left): wait another rebalance timeout.
            scheduleJoinTimeout(group);
            return;
        }
        group.initNextGeneration();
        if (group.isIn(GroupState.EMPTY)) {
            LOG.info(() -> "Group " + group.groupId() + " is empty at generation " + group.generationId());
            return;
        }
        long now = clock.millis();
        for (ClassicGroupMember member : group.members()) {
            PendingJoin join = group.unpark(member);
            if (join != null) {
                boolean leader = group.isLeader(member.memberId());
                group.complete(join.response(), joined(group, member.memberId(), join.version(), leader, false));
                member.joined();
                member.heartbeat(now);
            }
        }
        int generation = group.generationId();
        group.syncTimer(schedule(group, group.rebalanceTimeoutMs(), () -> expirePendingSyncs(group, generation)));
        LOG.info(() -> "Group " + group.groupId() + " generation " + generation + " has " + group.size()
                + " member(s), protocol " + group.protocolName().orElse("") + ", leader "
                + group.leaderId().orElse(""));
    }

    private void expirePendingSyncs(ClassicGroup group, int generation) {
        Set<String> late = group.pendingSyncMembers();
        if (group.generationId() != generation || late.isEmpty()
                || !(group.isIn(GroupState.COMPLETING_REBALANCE) || group.isIn(GroupState.STABLE))) {
            return;
        }
        for (String memberId : late) {
            ClassicGroupMember member = group.member(memberId);
            if (member != null) {
                removeMember(group, member);
            }
        }
        prepareRebalance(group, "members " + late + " did not sync within the rebalance timeout");
    }

    /** Removes a member; its parked requests are answered UNKNOWN_MEMBER_ID. The caller moves the group on. */
    private void removeMember(ClassicGroup group, ClassicGroupMember member) {
        group.remove(member);
        PendingJoin join = member.takePendingJoin();
        if (join != null) {
            group.complete(join.response(), joinError(Errors.UNKNOWN_MEMBER_ID, member.memberId(), join.version()));
        }
        PendingSync sync = member.takePendingSync();
        if (sync != null) {
            group.complete(sync.response(), syncError(Errors.UNKNOWN_MEMBER_ID));
        }
    }

    /** After members left: a settled group rebalances; a rebalancing one may now have everyone it waits for. */
    private void membersRemoved(ClassicGroup group, String reason) {
        switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(group, reason);
            case PREPARING_REBALANCE -> maybeCompleteJoin(group);
            default -> {
            }
        }
    }

    // ---- liveness ----

    private void scheduleExpiryCheck(ClassicGroup group, ClassicGroupMember member, long delayMs) {
        long epoch = member.cancelExpiryCheck();
        member.expiryCheck(epoch, schedule(group, delayMs, () -> checkExpiry(group, member, epoch)));
    }

    private void checkExpiry(ClassicGroup group, ClassicGroupMember member, long epoch) {
        if (group.member(member.memberId()) != member || !member.isCurrentExpiryCheck(epoch)) {
            return;
        }
        long now = clock.millis();
        long deadline = member.deadlineMs(config.newMemberJoinTimeoutMs());
        if (now >= deadline) {
            String why = member.isAwaitingJoin() ? "it waited longer than the new-member join timeout"
                    : "no heartbeat within its session timeout of " + member.sessionTimeoutMs() + " ms";
            LOG.info(() -> "Member " + member.memberId() + " of group " + group.groupId() + " expired: " + why);
            removeMember(group, member);
            membersRemoved(group, "member " + member.memberId() + " expired");
        } else {
            scheduleExpiryCheck(group, member, Math.min(deadline, now + member.sessionTimeoutMs()) - now);
        }
    }

    private void expirePending(ClassicGroup group, String memberId) {
        if (group.removePending(memberId)) {
            maybeCompleteJoin(group);
        }
    }

    // ---- SyncGroup ----

    CompletableFuture<SyncGroupResponseData> sync(SyncGroupRequestData request, short version) {
        CompletableFuture<SyncGroupResponseData> response = new CompletableFuture<>();
        withClassicGroup(request.groupId(), group -> {
            sync(group, request, new PendingSync(response, version));
            return null;
        }, () -> response.complete(syncError(Errors.UNKNOWN_MEMBER_ID)));
        return response;
    }

    private void sync(ClassicGroup group, SyncGroupRequestData request, PendingSync sync) {
        short version = sync.version();
        Errors error = group.validateMember(request.memberId(), version >= 3 ? request.groupInstanceId() : null);
        if (error == Errors.NONE && request.generationId() != group.generationId()) {
            error = Errors.ILLEGAL_GENERATION;
        }
        if (error == Errors.NONE && version >= 5
                && (mismatch(request.protocolType(), group.protocolType().orElse(null))
                || mismatch(request.protocolName(), group.protocolName().orElse(null)))) {
            error = Errors.INCONSISTENT_GROUP_PROTOCOL;
        }
        if (error == Errors.NONE && group.isIn(GroupState.PREPARING_REBALANCE)) {
            error = Errors.REBALANCE_IN_PROGRESS;
        }
        if (error != Errors.NONE) {
            group.complete(sync.response(), syncError(error));
            return;
        }
        ClassicGroupMember member = group.member(request.memberId());
        member.heartbeat(clock.millis());
        group.synced(member.memberId());
        if (group.isIn(GroupState.STABLE)) {
            group.complete(sync.response(), synced(group, member, version));
            return;
        }
        PendingSync superseded = member.awaitSync(sync);
        if (superseded != null) {
            group.complete(superseded.response(), syncError(Errors.REBALANCE_IN_PROGRESS));
        }
        if (group.isLeader(member.memberId())) {
            Map<String, byte[]> assignments = new HashMap<>();
            request.assignments().forEach(a -> assignments.put(a.memberId(), a.assignment()));
            for (ClassicGroupMember m : group.members()) {
                m.assign(assignments.get(m.memberId())); // a member the leader left out gets nothing
            }
            group.transitionTo(GroupState.STABLE);
            LOG.info(() -> "Group " + group.groupId() + " is stable at generation " + group.generationId());
            for (ClassicGroupMember m : group.members()) {
                PendingSync waiting = m.takePendingSync();
                if (waiting != null) {
                    group.complete(waiting.response(), synced(group, m, waiting.version()));
                }
            }
        }
    }

    private static boolean mismatch(String requested, String actual) {
        return requested != null && !requested.equals(actual);
    }

    // ---- Heartbeat ----

    HeartbeatResponseData heartbeat(HeartbeatRequestData request) {
        Errors error = withClassicGroup(request.groupId(), group -> heartbeat(group, request),
                () -> Errors.UNKNOWN_MEMBER_ID);
        return new HeartbeatResponseData().setErrorCode(error.code());
    }

    private Errors heartbeat(ClassicGroup group, HeartbeatRequestData request) {
        Errors error = group.validateMember(request.memberId(), request.groupInstanceId());
        if (error != Errors.NONE) {
            return error;
        }
        if (request.generationId() != group.generationId()) {
            return Errors.ILLEGAL_GENERATION;
        }
        group.member(request.memberId()).heartbeat(clock.millis());
        return group.isIn(GroupState.PREPARING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
    }

    // ---- LeaveGroup ----

    LeaveGroupResponseData leave(LeaveGroupRequestData request, short version) {
        List<LeaveGroupRequestData.MemberIdentity> leaving = version >= 3 ? request.members()
                : List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(request.memberId()));
        return withClassicGroup(request.groupId(), group -> leave(group, leaving, version),
                () -> new LeaveGroupResponseData().setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
    }

    private LeaveGroupResponseData leave(ClassicGroup group, List<LeaveGroupRequestData.MemberIdentity> leaving,
                                         short version) {
        List<LeaveGroupResponseData.MemberResponse> responses = new ArrayList<>();
        List<String> left = new ArrayList<>();
        boolean pendingLeft = false;
        for (LeaveGroupRequestData.MemberIdentity identity : leaving) {
            String memberId = Objects.requireNonNullElse(identity.memberId(), UNKNOWN_MEMBER_ID);
            String instanceId = identity.groupInstanceId();
            Errors error;
            if (memberId.equals(UNKNOWN_MEMBER_ID) && instanceId != null) {
                // KIP-345: an operator removes a static member by its instance id alone.
                memberId = Objects.requireNonNullElse(group.staticMemberId(instanceId), UNKNOWN_MEMBER_ID);
                error = memberId.equals(UNKNOWN_MEMBER_ID) ? Errors.UNKNOWN_MEMBER_ID : Errors.NONE;
            } else if (instanceId == null && group.removePending(memberId)) {
                pendingLeft = true;
                error = Errors.NONE;
                memberId = UNKNOWN_MEMBER_ID; // nothing more to remove
            } else {
                error = group.validateMember(memberId, instanceId);
            }
            if (error == Errors.NONE && !memberId.equals(UNKNOWN_MEMBER_ID)) {
                removeMember(group, group.member(memberId));
                left.add(memberId);
            }
            responses.add(new LeaveGroupResponseData.MemberResponse().setMemberId(identity.memberId())
                    .setGroupInstanceId(instanceId).setErrorCode(error.code()));
        }
        if (!left.isEmpty()) {
            membersRemoved(group, "member(s) " + left + " left");
        } else if (pendingLeft) {
            maybeCompleteJoin(group);
        }
        if (version >= 3) {
            return new LeaveGroupResponseData().setMembers(responses);
        }
        return new LeaveGroupResponseData().setErrorCode(responses.get(0).errorCode());
    }

    // ---- coordinator shutdown ----

    /** Answers every parked request NOT_COORDINATOR (the client finds the coordinator again) and stops timers. */
    static void abandon(ClassicGroup group) {
        group.cancelTimers();
        for (ClassicGroupMember member : group.members()) {
            PendingJoin join = group.unpark(member);
            if (join != null) {
                group.complete(join.response(), joinError(Errors.NOT_COORDINATOR, member.memberId(),
                        join.version()));
            }
            PendingSync sync = member.takePendingSync();
            if (sync != null) {
                group.complete(sync.response(), syncError(Errors.NOT_COORDINATOR));
            }
        }
    }

    // ---- responses ----

    static JoinGroupResponseData joinError(Errors error, String memberId, short version) {
        return new JoinGroupResponseData().setErrorCode(error.code()).setMemberId(memberId).setGenerationId(-1)
                .setProtocolName(version >= 7 ? null : "").setLeader("");
    }

    private static JoinGroupResponseData joined(ClassicGroup group, String memberId, short version,
                                                boolean withMembers, boolean skipAssignment) {
        List<JoinGroupResponseData.JoinGroupResponseMember> members = new ArrayList<>();
        if (withMembers) {
            String protocol = group.protocolName().orElseThrow();
            for (ClassicGroupMember member : group.members()) {
                members.add(new JoinGroupResponseData.JoinGroupResponseMember().setMemberId(member.memberId())
                        .setGroupInstanceId(version >= 5 ? member.groupInstanceId().orElse(null) : null)
                        .setMetadata(member.metadata(protocol)));
            }
        }
        return new JoinGroupResponseData().setMemberId(memberId).setGenerationId(group.generationId())
                .setProtocolType(version >= 7 ? group.protocolType().orElse(null) : null)
                .setProtocolName(group.protocolName().orElse(version >= 7 ? null : ""))
                .setLeader(group.leaderId().orElse(""))
                .setSkipAssignment(version >= 9 && skipAssignment)
                .setMembers(members);
    }

    static SyncGroupResponseData syncError(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code());
    }

    private static SyncGroupResponseData synced(ClassicGroup group, ClassicGroupMember member, short version) {
        SyncGroupResponseData response = new SyncGroupResponseData().setAssignment(member.assignment());
        if (version >= 5) {
            response.setProtocolType(group.protocolType().orElse(null))
                    .setProtocolName(group.protocolName().orElse(null));
        }
        return response;
    }

    private static String reason(Join join) {
        return join.reason == null || join.reason.isEmpty() ? "" : " (" + join.reason + ")";
    }

    private ScheduledFuture<?> schedule(ClassicGroup group, long delayMs, Runnable work) {
        return timers.schedule(group, delayMs, work);
    }
}
