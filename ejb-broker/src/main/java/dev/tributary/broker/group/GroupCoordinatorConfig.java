package dev.tributary.broker.group;

import java.util.Objects;

/**
 * The coordinator's settings, with Kafka's broker config names and defaults.
 *
 * @param minSessionTimeoutMs     {@code group.min.session.timeout.ms}: shorter session timeouts are refused
 *                                (INVALID_SESSION_TIMEOUT), so that a misconfigured client cannot make the group
 *                                rebalance on every GC pause
 * @param maxSessionTimeoutMs     {@code group.max.session.timeout.ms}: longer ones are refused, so that a dead
 *                                member cannot hold partitions for long
 * @param initialRebalanceDelayMs {@code group.initial.rebalance.delay.ms}: how long the first rebalance of an empty
 *                                group waits for more members (extended while members keep arriving, up to the
 *                                rebalance timeout), so that a fleet starting together gets one generation, not one
 *                                per member
 * @param newMemberJoinTimeoutMs  how long a new member may wait in a join before it is dropped (Kafka's
 *                                {@code GroupCoordinator.NewMemberJoinTimeoutMs}): new members cannot heartbeat,
 *                                and a client that gave up and retried would otherwise leave a defunct member behind
 * @param offsetMetadataMaxBytes  {@code offset.metadata.max.bytes}: longer commit metadata is refused per partition
 *                                (OFFSET_METADATA_TOO_LARGE); at most {@value #MAX_STORED_METADATA}, the size of the
 *                                metadata column
 * @param consumer                the consumer group protocol's settings ({@code group.consumer.*}); the settings
 *                                above are the classic protocol's
 */
public record GroupCoordinatorConfig(int minSessionTimeoutMs, int maxSessionTimeoutMs, int initialRebalanceDelayMs,
                                     int newMemberJoinTimeoutMs, int offsetMetadataMaxBytes,
                                     ConsumerGroupConfig consumer) {

    /** The width of {@code TRIB_COMMITTED_OFFSET.METADATA}. */
    public static final int MAX_STORED_METADATA = 4096;

    public GroupCoordinatorConfig {
        if (minSessionTimeoutMs < 0 || maxSessionTimeoutMs < minSessionTimeoutMs) {
            throw new IllegalArgumentException("Session timeout bounds [" + minSessionTimeoutMs + ", "
                    + maxSessionTimeoutMs + "] are not a range");
        }
        if (initialRebalanceDelayMs < 0 || newMemberJoinTimeoutMs <= 0) {
            throw new IllegalArgumentException("Delays must not be negative");
        }
        if (offsetMetadataMaxBytes < 0 || offsetMetadataMaxBytes > MAX_STORED_METADATA) {
            throw new IllegalArgumentException("offset.metadata.max.bytes must be in [0, " + MAX_STORED_METADATA + "]");
        }
        Objects.requireNonNull(consumer, "consumer");
    }

    public static GroupCoordinatorConfig defaults() {
        return new GroupCoordinatorConfig(6_000, 1_800_000, 3_000, 300_000, 4_096, ConsumerGroupConfig.defaults());
    }

    public GroupCoordinatorConfig withInitialRebalanceDelayMs(int delayMs) {
        return new GroupCoordinatorConfig(minSessionTimeoutMs, maxSessionTimeoutMs, delayMs, newMemberJoinTimeoutMs,
                offsetMetadataMaxBytes, consumer);
    }

    public GroupCoordinatorConfig withSessionTimeoutBounds(int minMs, int maxMs) {
        return new GroupCoordinatorConfig(minMs, maxMs, initialRebalanceDelayMs, newMemberJoinTimeoutMs,
                offsetMetadataMaxBytes, consumer);
    }

    public GroupCoordinatorConfig withConsumer(ConsumerGroupConfig newConsumer) {
        return new GroupCoordinatorConfig(minSessionTimeoutMs, maxSessionTimeoutMs, initialRebalanceDelayMs,
                newMemberJoinTimeoutMs, offsetMetadataMaxBytes, newConsumer);
    }
}
