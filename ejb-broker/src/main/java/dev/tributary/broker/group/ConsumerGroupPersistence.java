package dev.tributary.broker.group;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.NotCoordinatorException;

/**
 * Writes a consumer group through to its {@link ConsumerGroupStore} before a change of it is answered, as Kafka
 * writes its group records before it answers. A group with members is one versioned snapshot; an empty one is not
 * kept (its offsets are, elsewhere).
 *
 * <p>When the store refuses, nothing of the change survives: after a failed write the group goes back to what the
 * store holds and the request fails with COORDINATOR_NOT_AVAILABLE; after a conflict (another coordinator wrote the
 * group since this one loaded it) the group is reloaded from the store and the request fails with
 * NOT_COORDINATOR. Either way the client retries, against the group as stored. {@code onReset} restarts the
 * timeouts of a group that was reset.
 *
 * <p>Called under the group's monitor.
 */
final class ConsumerGroupPersistence {

    private static final Logger LOG = Logger.getLogger(ConsumerGroupPersistence.class.getName());

    private final ConsumerGroupStore store;
    private final Consumer<ConsumerGroup> onReset;

    ConsumerGroupPersistence(ConsumerGroupStore store, Consumer<ConsumerGroup> onReset) {
        this.store = store;
        this.onReset = onReset;
    }

    /**
     * Writes the group if it changed since it was last written.
     *
     * @throws CoordinatorNotAvailableException if the store failed (the group is as stored again)
     * @throws NotCoordinatorException if another coordinator changed the group (it was reloaded)
     */
    void writeIfChanged(ConsumerGroup group) {
        if (!group.isDirty()) {
            return;
        }
        ConsumerGroupSnapshot snapshot = group.snapshot();
        try {
            if (group.isEmpty()) {
                if (group.storedVersion() != 0) {
                    store.delete(group.groupId(), group.storedVersion());
                }
                group.stored(snapshot, 0);
            } else {
                group.stored(snapshot, store.save(snapshot, group.storedVersion()));
            }
        } catch (ConsumerGroupConflictException e) {
            LOG.log(Level.WARNING, "Consumer group " + group.groupId() + " was changed by another coordinator; "
                    + "reloading it", e);
            reload(group);
            throw new NotCoordinatorException("Consumer group " + group.groupId() + " was changed by another "
                    + "coordinator meanwhile; retry");
        } catch (ConsumerGroupStoreException e) {
            LOG.log(Level.WARNING, "Cannot store consumer group " + group.groupId(), e);
            undo(group);
            throw new CoordinatorNotAvailableException("Cannot store consumer group " + group.groupId() + ": "
                    + e.getMessage());
        }
    }

    /** Puts the group back as last stored, after a change that failed half-way. */
    void undo(ConsumerGroup group) {
        group.resetToStored();
        onReset.accept(group);
    }

    private void reload(ConsumerGroup group) {
        try {
            Optional<ConsumerGroupStore.Stored> stored = store.load(group.groupId());
            group.reset(stored.map(ConsumerGroupStore.Stored::snapshot)
                            .orElseGet(() -> new ConsumerGroup(group.groupId()).snapshot()),
                    stored.map(ConsumerGroupStore.Stored::version).orElse(0L));
            onReset.accept(group);
        } catch (ConsumerGroupStoreException e) {
            LOG.log(Level.WARNING, "Cannot reload consumer group " + group.groupId(), e);
            undo(group);
        }
    }
}
