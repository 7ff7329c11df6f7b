package dev.tributary.broker.group;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/** An offset store in a map, which a test can make fail. */
final class InMemoryOffsetStore implements OffsetStore {

    private final Map<String, Map<TopicPartition, CommittedOffset>> offsets = new HashMap<>();
    private boolean failing;
    /** Groups another broker coordinates now, as a fenced store would find in the database. */
    private final Set<String> takenOver = new HashSet<>();

    void failing(boolean fail) {
        this.failing = fail;
    }

    synchronized void takenOver(String groupId) {
        takenOver.add(groupId);
    }

    @Override
    public synchronized Map<String, Map<TopicPartition, CommittedOffset>> loadAll() {
        check();
        Map<String, Map<TopicPartition, CommittedOffset>> copy = new HashMap<>();
        offsets.forEach((group, committed) -> copy.put(group, Map.copyOf(committed)));
        return copy;
    }

    @Override
    public synchronized void commit(String groupId, Map<TopicPartition, CommittedOffset> committed) {
        check();
        if (takenOver.contains(groupId))
            throw new CoordinationLostException(groupId, "group " + groupId + " is coordinated elsewhere (test)");
        offsets.computeIfAbsent(groupId, g -> new HashMap<>()).putAll(committed);
    }

    @Override
    public synchronized void delete(String groupId, Collection<TopicPartition> partitions) {
        check();
        Map<TopicPartition, CommittedOffset> group = offsets.get(groupId);
        if (group != null) {
            partitions.forEach(group::remove);
            if (group.isEmpty()) {
                offsets.remove(groupId);
            }
        }
    }

    @Override
    public synchronized void deleteGroup(String groupId) {
        check();
        offsets.remove(groupId);
    }

    synchronized Map<TopicPartition, CommittedOffset> stored(String groupId) {
        return Map.copyOf(offsets.getOrDefault(groupId, Map.of()));
    }

    private void check() {
        if (failing) {
            throw new OffsetStoreException("store down (test)", new RuntimeException());
        }
    }
}
