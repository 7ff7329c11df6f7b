package dev.tributary.broker.group;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/**
 * One member of a classic group: what it told the coordinator in its last JoinGroup, the assignment the leader gave
 * it, and whether a JoinGroup or SyncGroup of it is waiting for the rebalance to progress.
 *
 * <p>Guarded by its group's monitor, like everything about the group.
 *
 * <p>Liveness: a member is alive while it heartbeats within its session timeout, and also while a JoinGroup or
 * SyncGroup of it is parked here (a client blocked in a request cannot heartbeat). The rebalance and pending-sync
 * timers bound how long those waits last; a new member's join is bounded by the new-member join timeout instead.
 */
final class ClassicGroupMember {

    /** One protocol (assignor) the member supports, in the member's order of preference. */
    record Protocol(String name, byte[] metadata) {
        boolean sameAs(Protocol other) {
            return name.equals(other.name) && Arrays.equals(metadata, other.metadata);
        }
    }

    /** A JoinGroup waiting for the join phase to complete; the version shapes the response. */
    record PendingJoin(CompletableFuture<JoinGroupResponseData> response, short version) {
    }

    /** A SyncGroup waiting for the leader's assignment. */
    record PendingSync(CompletableFuture<SyncGroupResponseData> response, short version) {
    }

    private static final byte[] NO_ASSIGNMENT = new byte[0];

    private final String memberId;
    private final String groupInstanceId;
    private String clientId;
    private String clientHost;
    private int sessionTimeoutMs;
    private int rebalanceTimeoutMs;
    private List<Protocol> protocols;
    private byte[] assignment = NO_ASSIGNMENT;
    private PendingJoin pendingJoin;
    private PendingSync pendingSync;
    /** Joined but has not yet received a JoinGroup response: bounded by the new-member join timeout. */
    private boolean isNew;
    private long joinStartedMs;
    private long lastHeartbeatMs;
    /** The one outstanding liveness check; see {@link MembershipProtocol}. */
    private ScheduledFuture<?> expiryCheck;
    private long expiryCheckEpoch;

    ClassicGroupMember(String memberId, String groupInstanceId, String clientId, String clientHost,
                       int sessionTimeoutMs, int rebalanceTimeoutMs, List<Protocol> protocols, long nowMs) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.protocols = List.copyOf(protocols);
        this.isNew = true;
        this.joinStartedMs = nowMs;
        this.lastHeartbeatMs = nowMs;
    }

    /**
     * The member that takes over a static member's place under a new member id: same instance, same assignment,
     * nothing pending (the old instance's requests are answered FENCED_INSTANCE_ID by the caller).
     */
    ClassicGroupMember replacedBy(String newMemberId, long nowMs) {
        ClassicGroupMember replacement = new ClassicGroupMember(newMemberId, groupInstanceId, clientId, clientHost,
                sessionTimeoutMs, rebalanceTimeoutMs, protocols, nowMs);
        replacement.assignment = assignment;
        replacement.isNew = false;
        return replacement;
    }

    String memberId() {
        return memberId;
    }

    Optional<String> groupInstanceId() {
        return Optional.ofNullable(groupInstanceId);
    }

    boolean isStatic() {
        return groupInstanceId != null;
    }

    String clientId() {
        return clientId;
    }

    String clientHost() {
        return clientHost;
    }

    int sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    int rebalanceTimeoutMs() {
        return rebalanceTimeoutMs;
    }

    List<Protocol> protocols() {
        return protocols;
    }

    /** Whether a JoinGroup carries exactly the protocols (names, order and metadata) this member last joined with. */
    boolean matches(List<Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            if (!protocols.get(i).sameAs(other.get(i))) {
                return false;
            }
        }
        return true;
    }

    boolean supports(String protocolName) {
        return protocols.stream().anyMatch(p -> p.name().equals(protocolName));
    }

    /** The member's metadata for a protocol it supports. */
    byte[] metadata(String protocolName) {
        return protocols.stream().filter(p -> p.name().equals(protocolName)).findFirst()
                .map(Protocol::metadata)
                .orElseThrow(() -> new IllegalStateException("Member " + memberId + " does not support "
                        + protocolName));
    }

    void update(String clientId, String clientHost, int sessionTimeoutMs, int rebalanceTimeoutMs,
                List<Protocol> protocols) {
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.protocols = List.copyOf(protocols);
    }

    byte[] assignment() {
        return assignment;
    }

    void assign(byte[] assignment) {
        this.assignment = assignment == null ? NO_ASSIGNMENT : assignment;
    }

    boolean isAwaitingJoin() {
        return pendingJoin != null;
    }

    /** @return the join this one supersedes (from a client that gave up on it), or null */
    PendingJoin awaitJoin(PendingJoin join, long nowMs) {
        PendingJoin previous = pendingJoin;
        pendingJoin = join;
        if (isNew) {
            joinStartedMs = nowMs;
        }
        return previous;
    }

    PendingJoin takePendingJoin() {
        PendingJoin join = pendingJoin;
        pendingJoin = null;
        return join;
    }

    /** @return the sync this one supersedes, or null */
    PendingSync awaitSync(PendingSync sync) {
        PendingSync previous = pendingSync;
        pendingSync = sync;
        return previous;
    }

    PendingSync takePendingSync() {
        PendingSync sync = pendingSync;
        pendingSync = null;
        return sync;
    }

    void joined() {
        isNew = false;
    }

    void heartbeat(long nowMs) {
        lastHeartbeatMs = nowMs;
    }

    /**
     * When this member expires if nothing else happens; {@link Long#MAX_VALUE} while one of its requests is
     * parked (other timers bound those).
     */
    long deadlineMs(long newMemberJoinTimeoutMs) {
        if (pendingJoin != null) {
            return isNew ? joinStartedMs + newMemberJoinTimeoutMs : Long.MAX_VALUE;
        }
        if (pendingSync != null) {
            return Long.MAX_VALUE;
        }
        return lastHeartbeatMs + sessionTimeoutMs;
    }

    ScheduledFuture<?> expiryCheck() {
        return expiryCheck;
    }

    /**
     * Installs the liveness check, cancelling the previous one. A check's task compares its epoch with
     * {@link #isCurrentExpiryCheck}: a cancelled task may already be running, blocked on the group's monitor.
     */
    void expiryCheck(long epoch, ScheduledFuture<?> check) {
        if (epoch == expiryCheckEpoch) {
            expiryCheck = check;
        } else {
            check.cancel(false);
        }
    }

    /** Cancels the liveness check; @return the epoch a new check is to be scheduled under */
    long cancelExpiryCheck() {
        if (expiryCheck != null) {
            expiryCheck.cancel(false);
            expiryCheck = null;
        }
        return ++expiryCheckEpoch;
    }

    boolean isCurrentExpiryCheck(long epoch) {
        return epoch == expiryCheckEpoch;
    }
}
