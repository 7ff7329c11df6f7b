package dev.tributary.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/** The server-side assignors: every partition once, only to its subscribers; uniform balanced and sticky. */
class AssignorTest {

    private static final Uuid T1 = new Uuid(1, 1);
    private static final Uuid T2 = new Uuid(2, 2);
    private static final Uuid T3 = new Uuid(3, 3);

    private final UniformAssignor uniform = new UniformAssignor();
    private final RangeAssignor range = new RangeAssignor();

    /** Builds specs member by member. */
    private static final class Spec {
        final Map<String, AssignmentSpec.MemberSpec> members = new TreeMap<>();
        final Map<Uuid, Integer> partitions = new HashMap<>();

        Spec topic(Uuid id, int count) {
            partitions.put(id, count);
            return this;
        }

        Spec member(String id, Set<Uuid> topics) {
            return member(id, Optional.empty(), topics, Assignment.EMPTY);
        }

        Spec member(String id, Optional<String> instance, Set<Uuid> topics, Assignment current) {
            members.put(id, new AssignmentSpec.MemberSpec(instance, topics, current));
            return this;
        }

        AssignmentSpec build() {
            return new AssignmentSpec(members, partitions);
        }
    }

    @Test
    void uniformSplitsSixPartitionsAmongThreeMembersTwoEach() {
        AssignmentSpec spec = new Spec().topic(T1, 6).member("a", Set.of(T1)).member("b", Set.of(T1))
                .member("c", Set.of(T1)).build();
        Map<String, Assignment> result = uniform.assign(spec);
        assertValid(spec, result);
        result.values().forEach(a -> assertEquals(2, a.size()));
    }

    /** A member joining takes only what balance requires from the others; the rest stay where they were. */
    @Test
    void uniformMovesOnlyWhatBalanceRequires() {
        Map<String, Assignment> before = Map.of("a", Assignment.of(T1, List.of(0, 1, 2)),
                "b", Assignment.of(T1, List.of(3, 4, 5)));
        AssignmentSpec spec = new Spec().topic(T1, 6)
                .member("a", Optional.empty(), Set.of(T1), before.get("a"))
                .member("b", Optional.empty(), Set.of(T1), before.get("b"))
                .member("c", Set.of(T1)).build();
        Map<String, Assignment> after = uniform.assign(spec);
        assertValid(spec, after);
        assertEquals(2, after.get("a").size());
        assertEquals(2, after.get("b").size());
        assertEquals(2, after.get("c").size());
        assertTrue(before.get("a").union(Assignment.EMPTY).minus(after.get("a")).size() == 1
                && after.get("a").minus(before.get("a")).isEmpty(), "a kept two of its own, got nothing new");
        assertTrue(after.get("b").minus(before.get("b")).isEmpty(), "b kept two of its own, got nothing new");

        // c leaves: its two partitions go to a and b, who keep theirs.
        AssignmentSpec without = new Spec().topic(T1, 6)
                .member("a", Optional.empty(), Set.of(T1), after.get("a"))
                .member("b", Optional.empty(), Set.of(T1), after.get("b")).build();
        Map<String, Assignment> last = uniform.assign(without);
        assertValid(without, last);
        assertTrue(last.get("a").minus(after.get("a")).size() == 1 && after.get("a").minus(last.get("a")).isEmpty());
        assertTrue(last.get("b").minus(after.get("b")).size() == 1 && after.get("b").minus(last.get("b")).isEmpty());
    }

    @Test
    void uniformGivesEachTopicOnlyToItsSubscribers() {
        AssignmentSpec spec = new Spec().topic(T1, 4).topic(T2, 2).topic(T3, 3)
                .member("a", Set.of(T1)).member("b", Set.of(T1, T2)).member("c", Set.of(T2, T3)).build();
        Map<String, Assignment> result = uniform.assign(spec);
        assertValid(spec, result);
        assertEquals(3, result.get("a").size());
        assertEquals(3, result.get("b").size());
        assertEquals(3, result.get("c").size());
    }

    /** Random groups, subscriptions and previous targets: always valid; exactly balanced when homogeneous. */
    @Test
    void uniformIsValidBalancedAndDeterministicOnRandomGroups() {
        Random random = new Random(848);
        List<Uuid> topics = List.of(T1, T2, T3);
        for (int round = 0; round < 300; round++) {
            Spec spec = new Spec();
            topics.forEach(t -> spec.topic(t, random.nextInt(12)));
            boolean homogeneous = random.nextBoolean();
            Set<Uuid> shared = randomTopics(random, topics);
            int members = 1 + random.nextInt(7);
            for (int m = 0; m < members; m++) {
                Set<Uuid> subscribed = homogeneous ? shared : randomTopics(random, topics);
                Assignment.Builder previous = new Assignment.Builder();
                for (int p = 0; p < 3; p++) {
                    previous.add(topics.get(random.nextInt(3)), random.nextInt(14)); // may be stale or taken
                }
                spec.member("m" + m, Optional.empty(), subscribed, previous.build());
            }
            AssignmentSpec built = spec.build();
            Map<String, Assignment> result = uniform.assign(built);
            assertValid(built, result);
            assertEquals(result, uniform.assign(built), "deterministic");
            if (homogeneous) {
                int min = result.values().stream().mapToInt(Assignment::size).min().orElse(0);
                int max = result.values().stream().mapToInt(Assignment::size).max().orElse(0);
                assertTrue(max - min <= 1, () -> "balanced: " + result);
            }
        }
    }

    @Test
    void rangeCoPartitionsTopicsOfTheSameSize() {
        AssignmentSpec spec = new Spec().topic(T1, 3).topic(T2, 3).member("m0", Set.of(T1, T2))
                .member("m1", Set.of(T1, T2)).build();
        Map<String, Assignment> result = range.assign(spec);
        assertValid(spec, result);
        assertEquals(Set.of(0, 1), result.get("m0").partitions(T1));
        assertEquals(Set.of(0, 1), result.get("m0").partitions(T2));
        assertEquals(Set.of(2), result.get("m1").partitions(T1));
        assertEquals(Set.of(2), result.get("m1").partitions(T2));
    }

    /** Static members come first, by instance id: a restarted instance (new member id) gets the same range. */
    @Test
    void rangeOrdersStaticMembersByInstanceId() {
        AssignmentSpec before = new Spec().topic(T1, 4)
                .member("zz", Optional.of("instance-1"), Set.of(T1), Assignment.EMPTY)
                .member("aa", Optional.of("instance-2"), Set.of(T1), Assignment.EMPTY)
                .member("dynamic", Set.of(T1)).build();
        Map<String, Assignment> result = range.assign(before);
        assertValid(before, result);
        assertEquals(Set.of(0, 1), result.get("zz").partitions(T1));
        assertEquals(Set.of(2), result.get("aa").partitions(T1));
        assertEquals(Set.of(3), result.get("dynamic").partitions(T1));
    }

    @Test
    void rangeGivesHeterogeneousSubscriptionsTheirOwnRanges() {
        AssignmentSpec spec = new Spec().topic(T1, 5).topic(T2, 2).member("a", Set.of(T1))
                .member("b", Set.of(T1, T2)).member("c", Set.of(T2)).build();
        Map<String, Assignment> result = range.assign(spec);
        assertValid(spec, result);
        assertEquals(Set.of(0, 1, 2), result.get("a").partitions(T1));
        assertEquals(Set.of(3, 4), result.get("b").partitions(T1));
        assertEquals(Set.of(0), result.get("b").partitions(T2));
        assertEquals(Set.of(1), result.get("c").partitions(T2));
    }

    private static Set<Uuid> randomTopics(Random random, List<Uuid> topics) {
        Set<Uuid> chosen = new HashSet<>();
        topics.forEach(t -> {
            if (random.nextBoolean()) {
                chosen.add(t);
            }
        });
        return chosen;
    }

    /** Every partition of a subscribed topic exactly once, to a subscriber; an entry for every member. */
    private static void assertValid(AssignmentSpec spec, Map<String, Assignment> result) {
        assertEquals(spec.members().keySet(), result.keySet());
        Set<String> seen = new HashSet<>();
        result.forEach((member, assignment) -> assignment.forEach((topic, partition) -> {
            assertTrue(spec.members().get(member).subscribedTopics().contains(topic), member + " subscribes");
            assertTrue(partition < spec.partitionCount(topic), "the partition exists");
            assertTrue(seen.add(topic + "-" + partition), () -> topic + "-" + partition + " twice in " + result);
        }));
        spec.partitions().forEach((topic, count) -> {
            boolean subscribed = spec.members().values().stream().anyMatch(m -> m.subscribedTopics().contains(topic));
            for (int p = 0; p < count; p++) {
                assertEquals(subscribed, seen.contains(topic + "-" + p), topic + "-" + p + " assigned iff subscribed");
            }
        });
    }
}
