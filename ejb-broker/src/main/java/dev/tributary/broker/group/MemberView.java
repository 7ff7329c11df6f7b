package dev.tributary.broker.group;

import java.util.Optional;

/**
 * A member as an operator sees it. {@code assignment} is the leader's opaque assignment for it (for consumers,
 * Kafka's ConsumerProtocol assignment), empty until the group is Stable; it is a copy. A consumer-protocol member's
 * is the partitions it owns now, in the same encoding.
 */
public record MemberView(String memberId, Optional<String> groupInstanceId, String clientId, String clientHost,
                         int sessionTimeoutMs, int rebalanceTimeoutMs, byte[] assignment) {
}
