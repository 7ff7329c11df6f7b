package dev.tributary.broker.group;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A consumer group store in a map, with the JPA store's versioning, which a test can make fail. */
final class InMemoryConsumerGroupStore implements ConsumerGroupStore {

    private final Map<String, Stored> groups = new HashMap<>();
    private boolean failing;
    private int writes;

    void failing(boolean fail) {
        this.failing = fail;
    }

    /** How many saves and deletes succeeded. */
    synchronized int writes() {
        return writes;
    }

    @Override
    public synchronized Map<String, Stored> loadAll() {
        check();
        return Map.copyOf(groups);
    }

    @Override
    public synchronized Optional<Stored> load(String groupId) {
        check();
        return Optional.ofNullable(groups.get(groupId));
    }

    @Override
    public synchronized long save(ConsumerGroupSnapshot group, long expectedVersion) {
        check();
        long version = version(group.groupId(), expectedVersion) + 1;
        groups.put(group.groupId(), new Stored(group, version));
        writes++;
        return version;
    }

    @Override
    public synchronized void delete(String groupId, long expectedVersion) {
        check();
        version(groupId, expectedVersion);
        groups.remove(groupId);
        writes++;
    }

    /** Another coordinator's write: the next write of ours to this group conflicts. */
    synchronized void writtenElsewhere(ConsumerGroupSnapshot group) {
        Stored stored = groups.get(group.groupId());
        groups.put(group.groupId(), new Stored(group, (stored == null ? 0 : stored.version()) + 1));
    }

    synchronized Optional<ConsumerGroupSnapshot> stored(String groupId) {
        return Optional.ofNullable(groups.get(groupId)).map(Stored::snapshot);
    }

    private long version(String groupId, long expected) {
        long stored = groups.containsKey(groupId) ? groups.get(groupId).version() : 0;
        if (stored != expected) {
            throw new ConsumerGroupConflictException("group " + groupId + " is at version " + stored + ", not "
                    + expected + " (test)");
        }
        return stored;
    }

    private void check() {
        if (failing) {
            throw new ConsumerGroupStoreException("store down (test)");
        }
    }
}
