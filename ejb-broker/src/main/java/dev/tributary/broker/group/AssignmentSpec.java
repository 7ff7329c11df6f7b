package dev.tributary.broker.group;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.Uuid;

/**
 * What an {@link ConsumerGroupAssignor} assigns from: the members, each with the topics it subscribes to (already
 * resolved from names and regular expressions to the ids of existing topics) and its current target, which
 * sticky assignors keep as far as balance allows; and the partition count of every subscribed topic. Immutable.
 *
 * @param members    by member id
 * @param partitions the partition count of every topic some member subscribes to
 */
public record AssignmentSpec(Map<String, MemberSpec> members, Map<Uuid, Integer> partitions) {

    public AssignmentSpec {
        members = Map.copyOf(members);
        partitions = Map.copyOf(partitions);
    }

    /**
     * One member as the assignor sees it.
     *
     * @param instanceId       its {@code group.instance.id}: range assignment orders static members by it, so that a
     *                         restarted instance gets the same partitions
     * @param subscribedTopics ids of the existing topics it subscribes to
     * @param currentTarget    its target before this assignment
     */
    public record MemberSpec(Optional<String> instanceId, Set<Uuid> subscribedTopics, Assignment currentTarget) {

        public MemberSpec {
            subscribedTopics = Set.copyOf(subscribedTopics);
        }
    }

    /** The partition count of a topic; 0 if no member subscribes to it or it does not exist. */
    int partitionCount(Uuid topicId) {
        return partitions.getOrDefault(topicId, 0);
    }
}
