package dev.tributary.broker.group;

import java.util.Objects;
import java.util.Optional;

/**
 * One member of a consumer group that speaks the consumer group protocol of KIP-848: who it is, what it subscribes
 * to and where it stands with its assignment. Immutable: the coordinator replaces a member whole when a heartbeat
 * changes it, so a snapshot of the group is a copy of its member references.
 *
 * @param memberId           the id the client generated (ConsumerGroupHeartbeat v1) or the coordinator gave it (v0)
 * @param instanceId         {@code group.instance.id} of a static member
 * @param rackId             {@code client.rack}; recorded and described, not used for placement
 * @param clientId           the request header's client id
 * @param clientHost         the client's address
 * @param rebalanceTimeoutMs how long the member may take to revoke partitions ({@code max.poll.interval.ms})
 */
public record ConsumerGroupMember(String memberId, Optional<String> instanceId, Optional<String> rackId,
                                  String clientId, String clientHost, int rebalanceTimeoutMs,
                                  MemberSubscription subscription, CurrentAssignment current) {

    public ConsumerGroupMember {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(rackId, "rackId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientHost, "clientHost");
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(current, "current");
    }

    /** A member joining with epoch 0: nothing subscribed or assigned yet. */
    static ConsumerGroupMember joining(String memberId, Optional<String> instanceId) {
        return new ConsumerGroupMember(memberId, instanceId, Optional.empty(), "", "", -1, MemberSubscription.NONE,
                CurrentAssignment.JOINING);
    }

    public int memberEpoch() {
        return current.memberEpoch();
    }

    ConsumerGroupMember withClient(String newClientId, String newClientHost) {
        return new ConsumerGroupMember(memberId, instanceId, rackId, newClientId, newClientHost, rebalanceTimeoutMs,
                subscription, current);
    }

    ConsumerGroupMember withRackId(String rack) {
        return new ConsumerGroupMember(memberId, instanceId, Optional.of(rack), clientId, clientHost,
                rebalanceTimeoutMs, subscription, current);
    }

    ConsumerGroupMember withRebalanceTimeoutMs(int timeoutMs) {
        return new ConsumerGroupMember(memberId, instanceId, rackId, clientId, clientHost, timeoutMs, subscription,
                current);
    }

    ConsumerGroupMember withSubscription(MemberSubscription newSubscription) {
        return new ConsumerGroupMember(memberId, instanceId, rackId, clientId, clientHost, rebalanceTimeoutMs,
                newSubscription, current);
    }

    ConsumerGroupMember withCurrent(CurrentAssignment newCurrent) {
        return new ConsumerGroupMember(memberId, instanceId, rackId, clientId, clientHost, rebalanceTimeoutMs,
                subscription, newCurrent);
    }

    /** This static member under the id of the instance that replaces it, with its partitions, at epoch 0. */
    ConsumerGroupMember replacedBy(String newMemberId) {
        return new ConsumerGroupMember(newMemberId, instanceId, rackId, clientId, clientHost, rebalanceTimeoutMs,
                subscription, current.restartedAtZero());
    }
}
