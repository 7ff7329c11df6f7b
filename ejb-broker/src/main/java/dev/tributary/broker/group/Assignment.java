package dev.tributary.broker.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import org.apache.kafka.common.Uuid;

/**
 * A set of partitions named by topic id, as the consumer group protocol of KIP-848 names them on the wire: what a
 * member is assigned, what it must revoke, what the assignor targets for it. Immutable; topics without partitions
 * are not kept, so two assignments of the same partitions are equal.
 */
public final class Assignment {

    public static final Assignment EMPTY = new Assignment(new TreeMap<>());

    /** Topic id to its partitions, both sorted (Uuid's order), never an empty set. */
    private final Map<Uuid, SortedSet<Integer>> partitions;
    private final int size;

    /** Takes a deep copy: the builder may go on. */
    private Assignment(TreeMap<Uuid, SortedSet<Integer>> partitions) {
        TreeMap<Uuid, SortedSet<Integer>> copy = new TreeMap<>();
        partitions.forEach((topicId, ids) -> copy.put(topicId, Collections.unmodifiableSortedSet(new TreeSet<>(ids))));
        this.partitions = Collections.unmodifiableMap(copy);
        this.size = copy.values().stream().mapToInt(SortedSet::size).sum();
    }

    public static Assignment of(Map<Uuid, ? extends Collection<Integer>> partitions) {
        Builder builder = new Builder();
        partitions.forEach(builder::addAll);
        return builder.build();
    }

    /** One topic's partitions; convenient in tests and for single-topic groups. */
    public static Assignment of(Uuid topicId, Collection<Integer> partitions) {
        return new Builder().addAll(topicId, partitions).build();
    }

    /** The partitions by topic id; unmodifiable, sorted. */
    public Map<Uuid, SortedSet<Integer>> partitions() {
        return partitions;
    }

    /** The partitions of one topic, sorted; empty if none. */
    public SortedSet<Integer> partitions(Uuid topicId) {
        SortedSet<Integer> topic = partitions.get(topicId);
        return topic == null ? Collections.emptySortedSet() : topic;
    }

    public boolean contains(Uuid topicId, int partition) {
        SortedSet<Integer> topic = partitions.get(topicId);
        return topic != null && topic.contains(partition);
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The number of partitions. */
    public int size() {
        return size;
    }

    public void forEach(BiConsumer<Uuid, Integer> partition) {
        partitions.forEach((topicId, ids) -> ids.forEach(id -> partition.accept(topicId, id)));
    }

    /** Every partition of this one that the predicate accepts. */
    public Assignment filter(BiPredicate<Uuid, Integer> keep) {
        Builder builder = new Builder();
        forEach((topicId, partition) -> {
            if (keep.test(topicId, partition)) {
                builder.add(topicId, partition);
            }
        });
        return builder.build();
    }

    public Assignment union(Assignment other) {
        Builder builder = new Builder();
        forEach(builder::add);
        other.forEach(builder::add);
        return builder.build();
    }

    public Assignment minus(Assignment other) {
        return filter((topicId, partition) -> !other.contains(topicId, partition));
    }

    public Assignment intersect(Assignment other) {
        return filter(other::contains);
    }

    /** Whether this and {@code other} have a partition in common. */
    public boolean overlaps(Assignment other) {
        Assignment smaller = size <= other.size ? this : other;
        Assignment larger = smaller == this ? other : this;
        for (Map.Entry<Uuid, SortedSet<Integer>> topic : smaller.partitions.entrySet()) {
            for (int partition : topic.getValue()) {
                if (larger.contains(topic.getKey(), partition)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Assignment other && partitions.equals(other.partitions);
    }

    @Override
    public int hashCode() {
        return partitions.hashCode();
    }

    @Override
    public String toString() {
        List<String> topics = new ArrayList<>();
        partitions.forEach((topicId, ids) -> topics.add(topicId + "=" + ids));
        return "{" + String.join(", ", topics) + "}";
    }

    /** Collects partitions into an {@link Assignment}. Not thread-safe. */
    public static final class Builder {

        private final TreeMap<Uuid, SortedSet<Integer>> partitions = new TreeMap<>();

        public Builder add(Uuid topicId, int partition) {
            partitions.computeIfAbsent(topicId, id -> new TreeSet<>()).add(partition);
            return this;
        }

        public Builder addAll(Uuid topicId, Collection<Integer> ids) {
            if (!ids.isEmpty()) {
                partitions.computeIfAbsent(topicId, id -> new TreeSet<>()).addAll(ids);
            }
            return this;
        }

        public Assignment build() {
            return partitions.isEmpty() ? EMPTY : new Assignment(partitions);
        }
    }
}
