package dev.tributary.broker.group;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * The {@code uniform} assignor, the consumer group protocol's default (Kafka's {@code UniformAssignor}): balance
 * first, then stickiness.
 *
 * <ol>
 *   <li>Each member keeps the partitions of its current target that it still subscribes to and that still
 *       exist.</li>
 *   <li>Partitions nobody keeps go, most constrained first (fewest subscribed members), to the subscribed member
 *       with the fewest partitions.</li>
 *   <li>While some member has two partitions more than another member that could take one of them (subscribes to
 *       its topic), one moves over.</li>
 * </ol>
 *
 * <p>When every member subscribes to the same topics the result is exactly balanced (sizes differ by at most one)
 * and moves as few partitions as balance requires. With different subscriptions it is as balanced as direct moves
 * between two members allow. Rack ids are not used. Ties go to the member id that sorts first, so every broker
 * computes the same assignment.
 */
final class UniformAssignor implements ConsumerGroupAssignor {

    static final String NAME = "uniform";

    private static final Comparator<Partition> PARTITION_ORDER = Comparator
            .comparing(Partition::topicId).thenComparingInt(Partition::partition);

    private record Partition(Uuid topicId, int partition) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Assignment> assign(AssignmentSpec spec) {
        Run run = new Run(spec);
        run.keepCurrentTargets();
        run.assignUnowned();
        run.balance();
        return run.result();
    }

    /** One assignment in progress. */
    private static final class Run {

        private final AssignmentSpec spec;
        /** Member ids in a fixed order: the tie-breaker. */
        private final List<String> members;
        /** For each subscribed topic, the members subscribed to it, in member order. */
        private final Map<Uuid, List<String>> subscribers = new TreeMap<>();
        private final Map<String, TreeSet<Partition>> assigned = new HashMap<>();
        private final Map<Partition, String> owners = new HashMap<>();

        Run(AssignmentSpec spec) {
            this.spec = spec;
            this.members = spec.members().keySet().stream().sorted().toList();
            for (String member : members) {
                assigned.put(member, new TreeSet<>(PARTITION_ORDER));
                for (Uuid topicId : spec.members().get(member).subscribedTopics()) {
                    if (spec.partitionCount(topicId) > 0) {
                        subscribers.computeIfAbsent(topicId, id -> new ArrayList<>()).add(member);
                    }
                }
            }
        }

        void keepCurrentTargets() {
            for (String member : members) {
                spec.members().get(member).currentTarget().forEach((topicId, partition) -> {
                    Partition tp = new Partition(topicId, partition);
                    if (subscribes(member, topicId) && partition < spec.partitionCount(topicId)
                            && !owners.containsKey(tp)) {
                        give(tp, member);
                    }
                });
            }
        }

        void assignUnowned() {
            List<Partition> unowned = new ArrayList<>();
            subscribers.forEach((topicId, subscribed) -> {
                for (int p = 0; p < spec.partitionCount(topicId); p++) {
                    Partition tp = new Partition(topicId, p);
                    if (!owners.containsKey(tp)) {
                        unowned.add(tp);
                    }
                }
            });
            unowned.sort(Comparator.comparingInt((Partition tp) -> subscribers.get(tp.topicId()).size())
                    .thenComparing(PARTITION_ORDER));
            for (Partition tp : unowned) {
                give(tp, leastLoaded(subscribers.get(tp.topicId())));
            }
        }

        /** Moves partitions from the fullest members to emptier ones until no direct move improves balance. */
        void balance() {
            boolean moved = true;
            while (moved) {
                moved = false;
                List<String> fullestFirst = new ArrayList<>(members);
                fullestFirst.sort(Comparator.comparingInt((String m) -> -assigned.get(m).size()));
                for (String full : fullestFirst) {
                    // Give away the highest partitions first: the low ones stay where they were.
                    for (Partition tp : new ArrayList<>(assigned.get(full).descendingSet())) {
                        String empty = leastLoaded(subscribers.get(tp.topicId()));
                        if (assigned.get(full).size() - assigned.get(empty).size() > 1) {
                            assigned.get(full).remove(tp);
                            give(tp, empty);
                            moved = true;
                        }
                    }
                }
            }
        }

        Map<String, Assignment> result() {
            Map<String, Assignment> result = new HashMap<>();
            assigned.forEach((member, partitions) -> {
                Assignment.Builder builder = new Assignment.Builder();
                partitions.forEach(tp -> builder.add(tp.topicId(), tp.partition()));
                result.put(member, builder.build());
            });
            return result;
        }

        private boolean subscribes(String member, Uuid topicId) {
            return spec.members().get(member).subscribedTopics().contains(topicId);
        }

        private void give(Partition tp, String member) {
            assigned.get(member).add(tp);
            owners.put(tp, member);
        }

        private String leastLoaded(List<String> candidates) {
            String best = candidates.get(0);
            for (String candidate : candidates) {
                if (assigned.get(candidate).size() < assigned.get(best).size()) {
                    best = candidate;
                }
            }
            return best;
        }
    }
}
