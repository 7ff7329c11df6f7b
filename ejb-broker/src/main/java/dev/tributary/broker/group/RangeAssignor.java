package dev.tributary.broker.group;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/**
 * The {@code range} assignor of the consumer group protocol (Kafka's server-side {@code RangeAssignor}): each
 * topic's partitions are cut into contiguous ranges, one per member subscribed to it, the first members of the
 * order getting one more when they do not divide evenly.
 *
 * <p>Members are ordered static ones first, by {@code group.instance.id}, then dynamic ones by member id, so a
 * restarted static instance lands on the same ranges. When every member subscribes to the same topics and they
 * have the same partition count, each member gets the same partition numbers of every topic (co-partitioning, which
 * joins of streams rely on). Not sticky: a member joining or leaving moves the ranges after it.
 */
final class RangeAssignor implements ConsumerGroupAssignor {

    static final String NAME = "range";

    private static final Comparator<Map.Entry<String, AssignmentSpec.MemberSpec>> MEMBER_ORDER = Comparator
            .comparing((Map.Entry<String, AssignmentSpec.MemberSpec> m) -> m.getValue().instanceId().isEmpty())
            .thenComparing(m -> m.getValue().instanceId().orElse(""))
            .thenComparing(Map.Entry::getKey);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Assignment> assign(AssignmentSpec spec) {
        List<Map.Entry<String, AssignmentSpec.MemberSpec>> ordered = new ArrayList<>(spec.members().entrySet());
        ordered.sort(MEMBER_ORDER);
        Map<Uuid, List<String>> subscribers = new TreeMap<>();
        for (Map.Entry<String, AssignmentSpec.MemberSpec> member : ordered) {
            member.getValue().subscribedTopics().forEach(topicId -> subscribers
                    .computeIfAbsent(topicId, id -> new ArrayList<>()).add(member.getKey()));
        }
        Map<String, Assignment.Builder> builders = new HashMap<>();
        spec.members().keySet().forEach(member -> builders.put(member, new Assignment.Builder()));
        subscribers.forEach((topicId, members) -> {
            int partitions = spec.partitionCount(topicId);
            int quota = partitions / members.size();
            int extra = partitions % members.size();
            int next = 0;
            for (int i = 0; i < members.size(); i++) {
                int size = quota + (i < extra ? 1 : 0);
                for (int p = next; p < next + size; p++) {
                    builders.get(members.get(i)).add(topicId, p);
                }
                next += size;
            }
        });
        Map<String, Assignment> result = new HashMap<>();
        builders.forEach((member, builder) -> result.put(member, builder.build()));
        return result;
    }
}
