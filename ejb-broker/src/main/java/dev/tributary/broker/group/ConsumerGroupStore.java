package dev.tributary.broker.group;

import java.util.Map;
import java.util.Optional;

/**
 * Durable consumer groups of the consumer group protocol (KIP-848): each group's members, epochs and assignments as
 * one versioned {@link ConsumerGroupSnapshot}, so that a restarted coordinator, or the broker a group moves to,
 * carries on with the same members and partitions instead of handing partitions out again while their owners
 * still consume them. Kafka keeps the same in {@code __consumer_offsets}.
 *
 * <p>Writes are versioned: each names the version it replaces, and a write over a version the caller did not load
 * (another broker wrote meanwhile: two brokers briefly both thought they coordinate the group) is refused with
 * {@link ConsumerGroupConflictException}, so two coordinators never both change one group.
 *
 * <p>Every call is atomic and committed before it returns. Implementations are called concurrently for different
 * groups and never concurrently for the same group by one coordinator.
 *
 * @throws ConsumerGroupStoreException from any method when the store cannot be reached or the write failed;
 *         nothing of that call was stored
 */
public interface ConsumerGroupStore {

    /** A stored group and the version that identifies this write of it. */
    record Stored(ConsumerGroupSnapshot snapshot, long version) {
    }

    /** Every stored group, by group id. */
    Map<String, Stored> loadAll();

    Optional<Stored> load(String groupId);

    /**
     * Writes the group.
     *
     * @param expectedVersion the version last loaded or written; 0 if the store has no such group
     * @return the new version
     * @throws ConsumerGroupConflictException if the stored version is not {@code expectedVersion}
     */
    long save(ConsumerGroupSnapshot group, long expectedVersion);

    /**
     * Removes a group (it has no members left).
     *
     * @throws ConsumerGroupConflictException if the stored version is not {@code expectedVersion}
     */
    void delete(String groupId, long expectedVersion);
}
