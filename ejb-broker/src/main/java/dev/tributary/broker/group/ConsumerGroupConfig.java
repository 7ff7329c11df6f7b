package dev.tributary.broker.group;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings of the consumer group protocol (KIP-848), with Kafka's broker config names and defaults. With this
 * protocol the broker, not the client, decides how often members heartbeat and when they expire.
 *
 * @param sessionTimeoutMs    {@code group.consumer.session.timeout.ms}: a member that does not heartbeat for this
 *                            long is removed and its partitions go to others
 * @param heartbeatIntervalMs {@code group.consumer.heartbeat.interval.ms}: how often members heartbeat (they are
 *                            told in every response); less than the session timeout
 * @param assignors           {@code group.consumer.assignors}: the server-side assignors members may ask for with
 *                            {@code group.remote.assignor}, the first being the default ({@code uniform},
 *                            {@code range})
 * @param maxSize             {@code group.consumer.max.size}: members beyond this many are refused
 *                            (GROUP_MAX_SIZE_REACHED)
 */
public record ConsumerGroupConfig(int sessionTimeoutMs, int heartbeatIntervalMs, List<String> assignors,
                                  int maxSize) {

    /** The assignors this broker has, by the names members ask for. */
    public static final Set<String> KNOWN_ASSIGNORS = new TreeSet<>(List.of(UniformAssignor.NAME,
            RangeAssignor.NAME));

    public ConsumerGroupConfig {
        assignors = List.copyOf(assignors);
        if (heartbeatIntervalMs <= 0 || sessionTimeoutMs <= heartbeatIntervalMs) {
            throw new IllegalArgumentException("group.consumer.heartbeat.interval.ms (" + heartbeatIntervalMs
                    + ") must be positive and less than group.consumer.session.timeout.ms (" + sessionTimeoutMs
                    + ")");
        }
        if (assignors.isEmpty() || !KNOWN_ASSIGNORS.containsAll(assignors)) {
            throw new IllegalArgumentException("group.consumer.assignors must name some of " + KNOWN_ASSIGNORS
                    + ", not " + assignors);
        }
        if (maxSize < 1) {
            throw new IllegalArgumentException("group.consumer.max.size must be at least 1, not " + maxSize);
        }
    }

    public static ConsumerGroupConfig defaults() {
        return new ConsumerGroupConfig(45_000, 5_000, List.of(UniformAssignor.NAME, RangeAssignor.NAME),
                Integer.MAX_VALUE);
    }

    public ConsumerGroupConfig withTimeouts(int newSessionTimeoutMs, int newHeartbeatIntervalMs) {
        return new ConsumerGroupConfig(newSessionTimeoutMs, newHeartbeatIntervalMs, assignors, maxSize);
    }

    public ConsumerGroupConfig withAssignors(List<String> names) {
        return new ConsumerGroupConfig(sessionTimeoutMs, heartbeatIntervalMs, names, maxSize);
    }

    public ConsumerGroupConfig withMaxSize(int newMaxSize) {
        return new ConsumerGroupConfig(sessionTimeoutMs, heartbeatIntervalMs, assignors, newMaxSize);
    }

    /** The assignor of members that ask for none. */
    public String defaultAssignor() {
        return assignors.get(0);
    }
}
