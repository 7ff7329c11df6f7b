package dev.tributary.broker.group;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Offsets committed inside a Kafka transaction (TxnOffsetCommit): kept apart from the committed offsets, per group
 * and producer, until the transaction ends; Tributary's equivalent of Kafka's pending transactional offsets in
 * {@code __consumer_offsets}, which its commit marker materialises. Every call is atomic and durable when it returns.
 *
 * @throws OffsetStoreException from any method when the store cannot be reached; nothing of that call was stored
 */
public interface TransactionalOffsetStore {

    /** For coordinators without transactions (tests): nothing is ever pending, and nothing may be staged. */
    TransactionalOffsetStore NONE = new TransactionalOffsetStore() {
        @Override
        public void stage(String groupId, long producerId, Map<TopicPartition, CommittedOffset> offsets) {
            throw new OffsetStoreException("This coordinator keeps no transactional offsets", null);
        }

        @Override
        public Map<TopicPartition, CommittedOffset> complete(String groupId, long producerId, boolean commit) {
            return Map.of();
        }

        @Override
        public Set<String> groupsWithPending(long producerId) {
            return Set.of();
        }

        @Override
        public Set<TopicPartition> pendingPartitions(String groupId) {
            return Set.of();
        }
    };

    /** Adds or replaces pending offsets of {@code producerId} for {@code groupId}. */
    void stage(String groupId, long producerId, Map<TopicPartition, CommittedOffset> offsets);

    /**
     * Ends the producer's pending offsets for the group in one transaction: on commit they become the group's
     * committed offsets (replacing what was there), on abort they are dropped.
     *
     * @return the offsets that became committed (empty on abort, or if none were pending)
     */
    Map<TopicPartition, CommittedOffset> complete(String groupId, long producerId, boolean commit);

    /** The groups for which {@code producerId} has pending offsets. */
    Set<String> groupsWithPending(long producerId);

    /** The partitions of {@code groupId} that have pending offsets of any producer. */
    Set<TopicPartition> pendingPartitions(String groupId);
}
