package dev.tributary.broker.group;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.FencedMemberEpochException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;

/**
 * The consumer group protocol of KIP-848: ConsumerGroupHeartbeat, with the assignment computed here, by the
 * coordinator. Follows Kafka's {@code GroupMetadataManager} (consumer groups)
 * request by request, including its error codes, so that kafka-clients consumers with {@code group.protocol=consumer}
 * behave as they do against Kafka.
 *
 * <p>A heartbeat: (1) creates or updates the member; a new member, a changed subscription or a change of a
 * subscribed topic bumps the group epoch. (2) If the group epoch is ahead of the target assignment, the assignor
 * computes a new target. (3) The member's assignment moves one step towards its target
 * ({@link MemberReconciliation}); the response carries it whenever it changed. There is no global barrier: members
 * that lose nothing keep consuming throughout, and a partition reaches its new owner as soon as its old owner has
 * revoked it.
 *
 * <p>A member that stops heartbeating, or does not revoke in time, is removed ({@link ConsumerMemberTimeouts});
 * removal frees its partitions. Every change is written to the {@link ConsumerGroupStore} before it is answered
 * ({@link ConsumerGroupPersistence}); if the write fails, the group goes back to what the store holds and the
 * member is told to retry. A coordinator that starts, or gains the group in a cluster, loads it and carries on with
 * the same members and epochs.
 *
 * <p>Concurrency: every method works on a group under its monitor, through {@link Groups}.
 */
final class ConsumerGroupProtocol {

    private static final Logger LOG = Logger.getLogger(ConsumerGroupProtocol.class.getName());
    /** The member epoch of a member leaving the group. */
    static final int LEAVE_GROUP_MEMBER_EPOCH = -1;
    /** The member epoch of a static member leaving for now (it keeps its partitions until its session ends). */
    static final int LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2;
    /** How often a group's regular expressions are matched against the topics again, at most. */
    static final long REGEX_REFRESH_INTERVAL_MS = 1_000;

    private final Groups groups;
    private final ConsumerGroupConfig config;
    private final TopicSubscriptions topics;
    private final Clock clock;
    private final ConsumerMemberTimeouts timeouts;
    private final ConsumerGroupPersistence persistence;
    private final Map<String, ConsumerGroupAssignor> assignors;

    ConsumerGroupProtocol(Groups groups, ConsumerGroupConfig config, TopicSubscriptions topics,
                          ConsumerGroupStore store, GroupTimers timers, Clock clock) {
        this.groups = groups;
        this.config = config;
        this.topics = topics;
        this.clock = clock;
        this.timeouts = new ConsumerMemberTimeouts(timers, config, clock, this::expire);
        this.persistence = new ConsumerGroupPersistence(store, timeouts::restart);
        this.assignors = Map.of(UniformAssignor.NAME, new UniformAssignor(), RangeAssignor.NAME,
                new RangeAssignor());
    }

    // ---- ConsumerGroupHeartbeat ----

    /**
     * One heartbeat. Errors are thrown as kafka-clients' {@code ApiException}s, carrying the error code and the
     * message the response should have.
     */
    ConsumerGroupHeartbeatResponseData heartbeat(ConsumerGroupHeartbeatRequestData request, short version,
                                                 String clientId, String clientHost) {
        ConsumerGroupHeartbeat.validate(request, version, config.assignors());
        int epoch = request.memberEpoch();
        if (epoch == LEAVE_GROUP_MEMBER_EPOCH || epoch == LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
            return groups.withGroup(request.groupId(), group -> leave(consumerGroup(group, request), request),
                    () -> {
                        throw new UnknownMemberIdException("Group " + request.groupId() + " has no member "
                                + request.memberId());
                    });
        }
        String memberId = request.memberId().isEmpty() ? Uuid.randomUuid().toString() : request.memberId();
        ConsumerGroupHeartbeat heartbeat = new ConsumerGroupHeartbeat(request, memberId,
                Objects.requireNonNullElse(clientId, ""), Objects.requireNonNullElse(clientHost, ""));
        if (epoch == 0) {
            return groups.withGroupAs(request.groupId(), ConsumerGroup.class, ConsumerGroup::new,
                    group -> heartbeat(group, heartbeat), classic -> {
                        throw new GroupIdNotFoundException("Group " + request.groupId() + " is a classic group with "
                                + classic.size() + " member(s); consumers with group.protocol=consumer can join "
                                + "it only once they have all left (this broker does not mix the protocols in one "
                                + "group)");
                    });
        }
        return groups.withGroup(request.groupId(), group -> heartbeat(consumerGroup(group, request), heartbeat),
                () -> {
                    // The group is gone (deleted while the member was away): rejoining recreates it.
                    throw new UnknownMemberIdException("Group " + request.groupId() + " has no member " + memberId);
                });
    }

    private static ConsumerGroup consumerGroup(Group group, ConsumerGroupHeartbeatRequestData request) {
        if (group instanceof ConsumerGroup consumer) {
            return consumer;
        }
        // Its group was converted while it was away: it must join again, with epoch 0.
        throw new UnknownMemberIdException("Group " + request.groupId() + " is now a classic group; member "
                + request.memberId() + " is unknown to it");
    }

    private ConsumerGroupHeartbeatResponseData heartbeat(ConsumerGroup group, ConsumerGroupHeartbeat heartbeat) {
        try {
            return heartbeatUnsafe(group, heartbeat);
        } catch (ApiException refused) {
            // Refusals are decided before the group changes; anything else undoes what it changed.
            throw refused;
        } catch (RuntimeException e) {
            if (group.isDirty()) {
                persistence.undo(group);
            }
            throw e;
        }
    }

    private ConsumerGroupHeartbeatResponseData heartbeatUnsafe(ConsumerGroup group, ConsumerGroupHeartbeat heartbeat) {
        long now = clock.millis();
        ConsumerGroupMember member = memberFor(group, heartbeat);
        if (member == null) {
            // A new member, or a static member's new instance: the group grows (or replaces) before the checks
            // below; it is written with the rest, or undone if the write fails.
            member = join(group, heartbeat);
        }
        ConsumerGroupMember updated = heartbeat.applyTo(member);
        // A new member comes with its first subscription, so it changes the group's subscriptions too.
        boolean subscriptionChanged = !updated.subscription().topicNames().equals(member.subscription().topicNames())
                || !updated.subscription().topicRegex().equals(member.subscription().topicRegex());
        if (!updated.equals(group.member(updated.memberId()))) {
            group.put(updated);
        }
        boolean metadataChanged = refreshSubscriptions(group, now, subscriptionChanged);
        if (subscriptionChanged || metadataChanged) {
            group.bumpGroupEpoch();
            LOG.fine(() -> "Group " + group.groupId() + " is at epoch " + group.groupEpoch() + " after a heartbeat of "
                    + updated.memberId() + (metadataChanged ? " (subscribed topics changed)" : ""));
        }
        if (group.groupEpoch() > group.target().epoch()) {
            computeTarget(group);
        }
        ConsumerGroupMember reconciled = reconcile(group, group.member(updated.memberId()), heartbeat.owned());
        timeouts.heartbeat(group, reconciled.memberId());
        persistence.writeIfChanged(group);
        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setMemberId(reconciled.memberId())
                .setMemberEpoch(reconciled.memberEpoch())
                .setHeartbeatIntervalMs(config.heartbeatIntervalMs());
        if (heartbeat.isFull() || !reconciled.current().assigned().equals(member.current().assigned())) {
            response.setAssignment(assignment(reconciled.current().assigned()));
        }
        return response;
    }

    /**
     * The member a heartbeat comes from, or null if it joins now; refuses heartbeats of unknown, fenced or
     * replaced members, and new members the group has no room for.
     */
    private ConsumerGroupMember memberFor(ConsumerGroup group, ConsumerGroupHeartbeat heartbeat) {
        String instanceId = heartbeat.instanceId();
        ConsumerGroupMember existing;
        if (instanceId == null) {
            existing = group.member(heartbeat.memberId());
        } else {
            String staticId = group.staticMemberId(instanceId);
            existing = staticId == null ? null : group.member(staticId);
            if (heartbeat.epoch() != 0) {
                if (existing == null) {
                    throw new UnknownMemberIdException("Instance id " + instanceId + " is unknown.");
                }
                if (!existing.memberId().equals(heartbeat.memberId())) {
                    throw new FencedInstanceIdException("Static member " + heartbeat.memberId()
                            + " with instance id " + instanceId + " was fenced by member " + existing.memberId()
                            + ".");
                }
            } else if (existing != null && !existing.memberId().equals(heartbeat.memberId())) {
                if (existing.memberEpoch() != LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
                    throw new UnreleasedInstanceIdException("Static member " + heartbeat.memberId()
                            + " with instance id " + instanceId + " cannot join the group because the instance id"
                            + " is owned by " + existing.memberId() + " member.");
                }
                return null; // the previous instance left for now: this one takes its place in join()
            }
        }
        if (existing == null) {
            if (heartbeat.epoch() != 0) {
                throw new UnknownMemberIdException("Member " + heartbeat.memberId() + " is not a member of group "
                        + group.groupId() + ".");
            }
            if (group.size() >= config.maxSize()) {
                throw new GroupMaxSizeReachedException("The consumer group has reached its maximum capacity of "
                        + config.maxSize() + " members.");
            }
            return null;
        }
        if (heartbeat.epoch() == 0) {
            // A member that knows it holds nothing (joins carry no partitions) joins again under its id: it
            // starts over, as if new, rather than being fenced again and again.
            return null;
        }
        checkEpoch(existing, heartbeat);
        return existing;
    }

    /**
     * Kafka's epoch check: a heartbeat ahead of the member, or behind it, is fenced, except one at the previous
     * epoch from a member that missed the response that moved it on and owns nothing it should not.
     */
    private static void checkEpoch(ConsumerGroupMember member, ConsumerGroupHeartbeat heartbeat) {
        int received = heartbeat.epoch();
        int current = member.memberEpoch();
        if (received > current) {
            throw new FencedMemberEpochException("The consumer group member has a greater member epoch (" + received
                    + ") than the one known by the group coordinator (" + current + "). The member must abandon "
                    + "all its partitions and rejoin.");
        }
        if (received < current && (received != member.current().previousMemberEpoch()
                || !heartbeat.owned().map(owned -> owned.minus(member.current().assigned()).isEmpty())
                .orElse(false))) {
            throw new FencedMemberEpochException("The consumer group member has a smaller member epoch (" + received
                    + ") than the one known by the group coordinator (" + current + "). The member must abandon "
                    + "all its partitions and rejoin.");
        }
    }

    /** Adds the joining member: a new one, a static member's new instance, or a member starting over. */
    private ConsumerGroupMember join(ConsumerGroup group, ConsumerGroupHeartbeat heartbeat) {
        String instanceId = heartbeat.instanceId();
        String previousStatic = instanceId == null ? null : group.staticMemberId(instanceId);
        if (previousStatic != null && !previousStatic.equals(heartbeat.memberId())) {
            ConsumerGroupMember replacement = group.replaceStatic(group.member(previousStatic), heartbeat.memberId());
            LOG.info(() -> "Static member " + instanceId + " of group " + group.groupId() + " rejoined as "
                    + heartbeat.memberId() + ", replacing " + previousStatic);
            return replacement;
        }
        ConsumerGroupMember previous = group.member(heartbeat.memberId());
        if (previous != null) {
            group.remove(previous.memberId()); // starting over: its partitions are free, its target recomputed
        }
        LOG.info(() -> "Member " + heartbeat.memberId() + (instanceId == null ? "" : " (instance " + instanceId + ")")
                + " joins consumer group " + group.groupId() + " with the consumer protocol");
        return ConsumerGroupMember.joining(heartbeat.memberId(), Optional.ofNullable(instanceId));
    }

    // ---- subscriptions and target ----

    /**
     * Matches the group's regular expressions against the topics again when one is new or the last match is older
     * than {@link #REGEX_REFRESH_INTERVAL_MS}, and looks up the subscribed topics.
     *
     * @return whether the topics the group subscribes to changed (in name, id or partition count)
     */
    private boolean refreshSubscriptions(ConsumerGroup group, long now, boolean subscriptionChanged) {
        Set<String> regexes = group.regexes();
        if (!group.resolvedRegexes().keySet().containsAll(regexes)
                || now - group.regexesResolvedAtMs() >= REGEX_REFRESH_INTERVAL_MS) {
            group.resolvedRegexes(topics.resolve(regexes), now);
        }
        Map<String, SubscribedTopic> metadata = topics.metadata(group.subscribedTopicNames(),
                group.subscriptionMetadata());
        if (metadata.equals(group.subscriptionMetadata())) {
            return false;
        }
        if (!subscriptionChanged) {
            LOG.info(() -> "The topics consumer group " + group.groupId() + " subscribes to changed: "
                    + metadata.values());
        }
        group.subscriptionMetadata(metadata);
        return true;
    }

    /** A new target assignment for the group epoch, from the assignor most members asked for. */
    private void computeTarget(ConsumerGroup group) {
        String name = group.preferredAssignor(config.assignors());
        Map<String, Assignment> assigned = assignors.get(name).assign(group.assignmentSpec());
        group.target(new TargetAssignment(group.groupEpoch(), assigned));
        LOG.info(() -> "Consumer group " + group.groupId() + " has a new target assignment for epoch "
                + group.groupEpoch() + " by the " + name + " assignor: " + assigned.size() + " member(s), "
                + assigned.values().stream().mapToInt(Assignment::size).sum() + " partition(s)");
    }

    /** Moves the member one step towards its target; starts or stops its rebalance timeout accordingly. */
    private ConsumerGroupMember reconcile(ConsumerGroup group, ConsumerGroupMember member,
                                          Optional<Assignment> reportedOwned) {
        CurrentAssignment before = member.current();
        TargetAssignment target = group.target();
        if (before.isReconciledTo(target.epoch())) {
            return member;
        }
        CurrentAssignment next = MemberReconciliation.next(before, target.epoch(), target.of(member.memberId()),
                (topicId, partition) -> group.ownedByOther(member.memberId(), topicId, partition), reportedOwned);
        if (next == before) {
            return member;
        }
        ConsumerGroupMember reconciled = member.withCurrent(next);
        group.put(reconciled);
        if (next.state() == MemberState.UNREVOKED_PARTITIONS) {
            if (before.state() != MemberState.UNREVOKED_PARTITIONS || before.memberEpoch() != next.memberEpoch()) {
                timeouts.revoking(group, reconciled);
            }
        } else {
            timeouts.revoked(group, member.memberId());
        }
        LOG.fine(() -> "Member " + member.memberId() + " of group " + group.groupId() + " is at epoch "
                + next.memberEpoch() + " (" + next.state() + "), assigned " + next.assigned() + ", revoking "
                + next.pendingRevocation());
        return reconciled;
    }

    private static ConsumerGroupHeartbeatResponseData.Assignment assignment(Assignment assigned) {
        List<ConsumerGroupHeartbeatResponseData.TopicPartitions> topics = new ArrayList<>();
        assigned.partitions().forEach((topicId, partitions) -> topics.add(
                new ConsumerGroupHeartbeatResponseData.TopicPartitions().setTopicId(topicId)
                        .setPartitions(new ArrayList<>(partitions))));
        return new ConsumerGroupHeartbeatResponseData.Assignment().setTopicPartitions(topics);
    }

    // ---- leaving ----

    private ConsumerGroupHeartbeatResponseData leave(ConsumerGroup group, ConsumerGroupHeartbeatRequestData request) {
        String instanceId = request.instanceId();
        ConsumerGroupMember member;
        if (instanceId == null) {
            member = group.member(request.memberId());
            if (member == null) {
                throw new UnknownMemberIdException("Member " + request.memberId() + " is not a member of group "
                        + group.groupId() + ".");
            }
        } else {
            String staticId = group.staticMemberId(instanceId);
            if (staticId == null) {
                throw new UnknownMemberIdException("Instance id " + instanceId + " is unknown.");
            }
            if (!staticId.equals(request.memberId())) {
                throw new FencedInstanceIdException("Static member " + request.memberId() + " with instance id "
                        + instanceId + " was fenced by member " + staticId + ".");
            }
            member = group.member(staticId);
        }
        try {
            if (request.memberEpoch() == LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
                // KIP-345 for KIP-848: the instance is expected back within its session; its partitions wait.
                group.put(member.withCurrent(member.current().temporarilyLeft(LEAVE_GROUP_STATIC_MEMBER_EPOCH)));
                timeouts.revoked(group, member.memberId());
                LOG.info(() -> "Static member " + instanceId + " (" + member.memberId() + ") of group "
                        + group.groupId() + " left for now; its partitions wait for it");
            } else {
                removeMember(group, member.memberId(), "it left");
            }
            persistence.writeIfChanged(group);
        } catch (RuntimeException e) {
            if (!(e instanceof ApiException) && group.isDirty()) {
                persistence.undo(group);
            }
            throw e;
        }
        return new ConsumerGroupHeartbeatResponseData().setMemberId(request.memberId())
                .setMemberEpoch(request.memberEpoch()).setHeartbeatIntervalMs(0);
    }

    /** Removes a member: its partitions are free, the group needs a new target. */
    private void removeMember(ConsumerGroup group, String memberId, String why) {
        group.remove(memberId);
        refreshSubscriptions(group, clock.millis(), true);
        group.bumpGroupEpoch();
        LOG.info(() -> "Member " + memberId + " left consumer group " + group.groupId() + " (" + why + "); the "
                + "group is at epoch " + group.groupEpoch() + " with " + group.size() + " member(s)");
    }

    /** A member timed out: it is removed, unless the store refuses (then it stays, and false is returned). */
    private boolean expire(ConsumerGroup group, String memberId, String why) {
        try {
            removeMember(group, memberId, "expired: " + why);
            persistence.writeIfChanged(group);
            return true;
        } catch (ApiException | ConsumerGroupStoreException e) {
            LOG.log(Level.WARNING, "Could not remove member " + memberId + " of group " + group.groupId()
                    + "; trying again", e);
            return group.member(memberId) == null;
        }
    }

    /** Starts the timeouts of a group just loaded from the store. */
    void loaded(ConsumerGroup group) {
        timeouts.restart(group);
    }
}
