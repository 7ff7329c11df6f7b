package dev.tributary.broker.group;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnsupportedAssignorException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;

/**
 * One ConsumerGroupHeartbeat as the coordinator reads it: Kafka's checks of the request, and what its fields mean.
 * A client sends only what changed since its last heartbeat; {@code null} and {@code -1} mean "unchanged", and
 * {@link #applyTo} keeps what the member had for them.
 *
 * @param memberId   the member id of the request, or one generated for a version-0 member joining without one
 * @param clientId   the request header's client id
 * @param clientHost the client's address
 */
record ConsumerGroupHeartbeat(ConsumerGroupHeartbeatRequestData request, String memberId, String clientId,
                              String clientHost) {

    /**
     * Kafka's checks of a request, with its messages.
     *
     * @param assignors the assignors members may ask for
     * @throws InvalidRequestException      (INVALID_REQUEST) for a request no client should send
     * @throws UnsupportedAssignorException (UNSUPPORTED_ASSIGNOR) for an assignor not among {@code assignors}
     * @throws org.apache.kafka.common.errors.InvalidRegularExpression for a subscription regex that does not compile
     */
    static void validate(ConsumerGroupHeartbeatRequestData request, short version, List<String> assignors) {
        requireNotBlank(request.instanceId(), "InstanceId can't be empty.");
        requireNotBlank(request.rackId(), "RackId can't be empty.");
        int epoch = request.memberEpoch();
        if (version >= 1 && request.memberId().isBlank()) {
            throw new InvalidRequestException("MemberId can't be empty.");
        }
        if (epoch > 0 || epoch == ConsumerGroupProtocol.LEAVE_GROUP_MEMBER_EPOCH) {
            if (request.memberId().isBlank()) {
                throw new InvalidRequestException("MemberId can't be empty.");
            }
        } else if (epoch == 0) {
            validateJoin(request, version);
        } else if (epoch == ConsumerGroupProtocol.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
            if (request.memberId().isBlank()) {
                throw new InvalidRequestException("MemberId can't be empty.");
            }
            if (request.instanceId() == null) {
                throw new InvalidRequestException("InstanceId can't be null.");
            }
        } else {
            throw new InvalidRequestException("MemberEpoch is invalid.");
        }
        if (request.serverAssignor() != null && !assignors.contains(request.serverAssignor())) {
            throw new UnsupportedAssignorException("ServerAssignor " + request.serverAssignor()
                    + " is not supported. Supported assignors: " + String.join(", ", assignors) + ".");
        }
        if (request.subscribedTopicRegex() != null && !request.subscribedTopicRegex().isEmpty()) {
            MemberSubscription.compile(request.subscribedTopicRegex());
        }
    }

    /** A join (epoch 0) is a full heartbeat: it must carry everything, and own nothing. */
    private static void validateJoin(ConsumerGroupHeartbeatRequestData request, short version) {
        if (request.rebalanceTimeoutMs() == -1) {
            throw new InvalidRequestException("RebalanceTimeoutMs must be provided in first request.");
        }
        if (request.topicPartitions() == null || !request.topicPartitions().isEmpty()) {
            throw new InvalidRequestException("TopicPartitions must be empty when (re-)joining.");
        }
        boolean names = request.subscribedTopicNames() != null && !request.subscribedTopicNames().isEmpty();
        boolean regex = request.subscribedTopicRegex() != null && !request.subscribedTopicRegex().isEmpty();
        if (!names && !regex) {
            throw new InvalidRequestException(version >= 1
                    ? "SubscribedTopicNames or SubscribedTopicRegex must be set in first request."
                    : "SubscribedTopicNames must be set in first request.");
        }
    }

    private static void requireNotBlank(String value, String message) {
        if (value != null && value.isBlank()) {
            throw new InvalidRequestException(message);
        }
    }

    int epoch() {
        return request.memberEpoch();
    }

    String instanceId() {
        return request.instanceId();
    }

    /** What the member said it owns; empty if the heartbeat did not say. */
    Optional<Assignment> owned() {
        if (request.topicPartitions() == null) {
            return Optional.empty();
        }
        Assignment.Builder owned = new Assignment.Builder();
        request.topicPartitions().forEach(t -> owned.addAll(t.topicId(), t.partitions()));
        return Optional.of(owned.build());
    }

    /**
     * A full heartbeat (a join, or a client that lost track of what it sent) carries everything; Kafka answers it
     * with the assignment even when that did not change.
     */
    boolean isFull() {
        return epoch() == 0 || (request.rebalanceTimeoutMs() != -1 && request.topicPartitions() != null
                && (request.subscribedTopicNames() != null || request.subscribedTopicRegex() != null));
    }

    /** The member with what this heartbeat changed. */
    ConsumerGroupMember applyTo(ConsumerGroupMember member) {
        ConsumerGroupMember updated = member.withClient(clientId, clientHost);
        if (request.rackId() != null) {
            updated = updated.withRackId(request.rackId());
        }
        if (request.rebalanceTimeoutMs() != -1) {
            updated = updated.withRebalanceTimeoutMs(request.rebalanceTimeoutMs());
        }
        MemberSubscription subscription = updated.subscription();
        if (request.subscribedTopicNames() != null) {
            subscription = subscription.withTopicNames(request.subscribedTopicNames());
        }
        if (request.subscribedTopicRegex() != null) {
            subscription = subscription.withTopicRegex(request.subscribedTopicRegex());
        }
        if (request.serverAssignor() != null) {
            subscription = subscription.withServerAssignor(request.serverAssignor());
        }
        return updated.withSubscription(subscription);
    }
}
