package dev.tributary.jca.spi;

import java.util.List;
import java.util.Objects;

/**
 * What an endpoint activation subscribes to.
 *
 * @param groupId       the consumer group (shared with Kafka clients of the same group id)
 * @param topics        the topics, at least one
 * @param fromEarliest  where a partition without a committed offset (or whose offset fell out of the log) starts:
 *                      the log start if true, the log end otherwise
 * @param clientId      the member's client id, as DescribeGroups and the REST API show it
 * @param readCommitted whether records of Kafka transactions are delivered only once committed (a read_committed
 *                      consumer), or as they are written
 */
public record GroupSubscription(String groupId, List<String> topics, boolean fromEarliest, String clientId,
                                boolean readCommitted) {

    /** A read_committed subscription. */
    public GroupSubscription(String groupId, List<String> topics, boolean fromEarliest, String clientId) {
        this(groupId, topics, fromEarliest, clientId, true);
    }


    public GroupSubscription {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(clientId, "clientId");
        topics = List.copyOf(topics);
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("A subscription needs at least one topic");
        }
    }
}
