package dev.tributary.broker.group;

import dev.tributary.broker.group.ConsumerGroup.MemberTimer;
import java.time.Clock;

/**
 * The two timeouts of consumer-protocol members (KIP-848): a member that does not heartbeat within
 * {@code group.consumer.session.timeout.ms} is removed, and so is one that does not revoke partitions within its
 * rebalance timeout (the client's {@code max.poll.interval.ms}); removal frees its partitions.
 *
 * <p>One session check per member, which reschedules itself at the member's deadline when it fires early, so a
 * heartbeat only moves a deadline and costs no scheduler traffic. Each timer carries an id that the task compares
 * with the member's current one under the group's monitor, since cancellation can race with it. When the store
 * refuses the removal, the timeout tries again after {@link #RETRY_MS}.
 *
 * <p>Called under the group's monitor.
 */
final class ConsumerMemberTimeouts {

    /** Removes a member the coordinator gave up on; false if the store refused (the member is still there). */
    @FunctionalInterface
    interface Expiry {
        boolean expire(ConsumerGroup group, String memberId, String why);
    }

    /** How soon a timeout whose removal the store refused tries again. */
    static final long RETRY_MS = 1_000;

    private final GroupTimers timers;
    private final ConsumerGroupConfig config;
    private final Clock clock;
    private final Expiry expiry;

    ConsumerMemberTimeouts(GroupTimers timers, ConsumerGroupConfig config, Clock clock, Expiry expiry) {
        this.timers = timers;
        this.config = config;
        this.clock = clock;
        this.expiry = expiry;
    }

    /** The member heartbeated: its session runs from now; its check, if it has none, starts. */
    void heartbeat(ConsumerGroup group, String memberId) {
        group.sessionDeadline(memberId, clock.millis() + config.sessionTimeoutMs());
        if (group.sessionCheck(memberId) == null) {
            scheduleSessionCheck(group, memberId, config.sessionTimeoutMs());
        }
    }

    /** The member was asked to revoke partitions at its current epoch: it has its rebalance timeout to do so. */
    void revoking(ConsumerGroup group, ConsumerGroupMember member) {
        long id = group.nextTimerId();
        int epoch = member.memberEpoch();
        int timeoutMs = member.rebalanceTimeoutMs();
        String memberId = member.memberId();
        group.rebalanceTimeout(memberId, new MemberTimer(id, timers.schedule(group, Math.max(0, timeoutMs), () -> {
            MemberTimer current = group.rebalanceTimeout(memberId);
            ConsumerGroupMember now = group.member(memberId);
            if (current != null && current.id() == id && now != null && now.memberEpoch() == epoch
                    && now.current().state() == MemberState.UNREVOKED_PARTITIONS
                    && !expiry.expire(group, memberId, "it did not revoke " + now.current().pendingRevocation()
                    + " within its rebalance timeout of " + timeoutMs + " ms")) {
                revoking(group, now);
            }
        })));
    }

    /** The member has nothing left to revoke. */
    void revoked(ConsumerGroup group, String memberId) {
        group.cancelRebalanceTimeout(memberId);
    }

    /**
     * Starts the timeouts of a group just loaded (or reloaded) from the store: every member gets a full session to
     * heartbeat to this coordinator, and one revoking partitions a full rebalance timeout, as Kafka does when it
     * loads a group.
     */
    void restart(ConsumerGroup group) {
        for (ConsumerGroupMember member : group.members()) {
            heartbeat(group, member.memberId());
            if (member.current().state() == MemberState.UNREVOKED_PARTITIONS
                    && group.rebalanceTimeout(member.memberId()) == null) {
                revoking(group, member);
            }
        }
    }

    private void scheduleSessionCheck(ConsumerGroup group, String memberId, long delayMs) {
        long id = group.nextTimerId();
        group.sessionCheck(memberId, new MemberTimer(id, timers.schedule(group, delayMs,
                () -> checkSession(group, memberId, id))));
    }

    private void checkSession(ConsumerGroup group, String memberId, long timerId) {
        MemberTimer current = group.sessionCheck(memberId);
        if (current == null || current.id() != timerId || group.member(memberId) == null) {
            return;
        }
        long now = clock.millis();
        Long deadline = group.sessionDeadline(memberId);
        if (deadline != null && now < deadline) {
            scheduleSessionCheck(group, memberId, deadline - now);
        } else if (!expiry.expire(group, memberId, "no heartbeat within the session timeout of "
                + config.sessionTimeoutMs() + " ms")) {
            scheduleSessionCheck(group, memberId, RETRY_MS);
        }
    }
}
