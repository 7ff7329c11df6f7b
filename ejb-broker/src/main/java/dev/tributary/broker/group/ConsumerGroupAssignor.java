package dev.tributary.broker.group;

import java.util.Map;

/**
 * A server-side assignor of the consumer group protocol (KIP-848): from the members' subscriptions and the topics'
 * partition counts, every member's target partitions. Members name the one they want with
 * {@code group.remote.assignor}; the broker offers those of {@code group.consumer.assignors}, the first by default.
 *
 * <p>Implementations are stateless and called under a group's monitor, so they must be quick and deterministic:
 * the same spec gives the same assignment on every broker.
 */
public interface ConsumerGroupAssignor {

    /** The name members ask for ({@code uniform}, {@code range}). */
    String name();

    /**
     * Every member's target. Each partition of a subscribed topic goes to at most one member that subscribes to
     * its topic; members subscribed to nothing (or to topics that do not exist) get nothing.
     *
     * @return by member id, an entry for every member of the spec
     */
    Map<String, Assignment> assign(AssignmentSpec spec);
}
