package dev.tributary.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.cluster.BrokerInfo;
import dev.tributary.broker.cluster.ClusterView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Rendezvous placement of groups on brokers: the same everywhere, even, and moving only what must move. */
class CoordinatorPlacementTest {

    private static final int GROUPS = 20_000;

    @Test
    void theGroupHashIsFnv1aOfTheUtf8Bytes() {
        // Published FNV-1a 64 test vectors: any JVM, any build computes these, unlike String.hashCode's spread.
        assertEquals(0xcbf29ce484222325L, CoordinatorPlacement.fnv1a(""));
        assertEquals(0xaf63dc4c8601ec8cL, CoordinatorPlacement.fnv1a("a"));
        assertEquals(0x85944171f73967e8L, CoordinatorPlacement.fnv1a("foobar"));
    }

    @Test
    void everyBrokerComputesTheSameCoordinatorWhateverTheOrderOfItsView() {
        ClusterView oldestFirst = view(broker(3), broker(1), broker(7));
        ClusterView otherOrder = view(broker(7), broker(3), broker(1));
        for (int i = 0; i < 1_000; i++) {
            String group = "group-" + i;
            assertEquals(CoordinatorPlacement.coordinator(group, oldestFirst),
                    CoordinatorPlacement.coordinator(group, otherOrder), group);
        }
    }

    @Test
    void groupsSpreadEvenlyOverTheBrokers() {
        Map<Integer, Integer> perBroker = placeAll(Set.of(0, 1, 2, 3, 4));
        assertEquals(Set.of(0, 1, 2, 3, 4), perBroker.keySet());
        perBroker.forEach((broker, count) -> assertTrue(Math.abs(count - GROUPS / 5) < GROUPS / 5 / 10,
                () -> "broker " + broker + " has " + count + " of " + GROUPS + " groups: " + perBroker));
    }

    @Test
    void aJoiningBrokerTakesOnlyItsShareAndFromEveryone() {
        Set<Integer> before = Set.of(0, 1, 2, 3, 4);
        Set<Integer> after = Set.of(0, 1, 2, 3, 4, 5);
        Map<Integer, Integer> movedFrom = new HashMap<>();
        for (int i = 0; i < GROUPS; i++) {
            String group = "group-" + i;
            int was = coordinator(group, before);
            int is = coordinator(group, after);
            if (was != is) {
                assertEquals(5, is, group + " moved, but not to the broker that joined");
                movedFrom.merge(was, 1, Integer::sum);
            }
        }
        int moved = movedFrom.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(Math.abs(moved - GROUPS / 6) < GROUPS / 6 / 10, () -> moved + " groups moved");
        assertEquals(before, movedFrom.keySet(), "each broker gives up some");
    }

    @Test
    void aLeavingBrokersGroupsAndOnlyThoseSpreadOverTheRest() {
        Set<Integer> before = Set.of(0, 1, 2, 3, 4);
        Set<Integer> after = Set.of(0, 1, 3, 4);
        Map<Integer, Integer> movedTo = new HashMap<>();
        for (int i = 0; i < GROUPS; i++) {
            String group = "group-" + i;
            int was = coordinator(group, before);
            int is = coordinator(group, after);
            if (was == 2) {
                movedTo.merge(is, 1, Integer::sum);
            } else {
                assertEquals(was, is, group + " was not broker 2's, yet it moved");
            }
        }
        assertEquals(after, movedTo.keySet(), "broker 2's groups go to every survivor");
        movedTo.forEach((broker, count) -> assertTrue(Math.abs(count - GROUPS / 5 / 4) < GROUPS / 5 / 4 / 4,
                () -> "broker " + broker + " took " + count + ": " + movedTo));
    }

    @Test
    void onlyBrokersWithAKafkaListenerCoordinateUnlessNoneHasOne() {
        BrokerInfo jcaOnly = new BrokerInfo(1, "cluster", "", Optional.empty(), false);
        ClusterView mixed = view(broker(0), jcaOnly, broker(2));
        assertEquals(Set.of(0, 2), CoordinatorPlacement.candidates(mixed));
        IntStream.range(0, 1_000).forEach(i -> assertTrue(
                CoordinatorPlacement.coordinator("group-" + i, mixed).orElseThrow().id() != 1));

        ClusterView alone = view(jcaOnly);
        assertEquals(Optional.of(jcaOnly), CoordinatorPlacement.coordinator("orders", alone));
    }

    @Test
    void noLiveBrokerNoCoordinator() {
        assertEquals(Optional.empty(), CoordinatorPlacement.coordinator("orders", view()));
        assertEquals(OptionalInt.empty(), CoordinatorPlacement.coordinatorId("orders", List.of()));
    }

    private static Map<Integer, Integer> placeAll(Set<Integer> brokers) {
        Map<Integer, Integer> perBroker = new HashMap<>();
        for (int i = 0; i < GROUPS; i++) {
            perBroker.merge(coordinator("group-" + i, brokers), 1, Integer::sum);
        }
        return perBroker;
    }

    private static int coordinator(String group, Set<Integer> brokers) {
        return CoordinatorPlacement.coordinatorId(group, brokers).orElseThrow();
    }

    static BrokerInfo broker(int id) {
        return new BrokerInfo(id, "cluster", "broker-" + id + ":9092", Optional.empty(), false);
    }

    static ClusterView view(BrokerInfo... brokers) {
        return new ClusterView(List.of(brokers));
    }
}
