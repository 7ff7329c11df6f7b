package dev.tributary.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class GridMembershipTest {

    private static final String CLUSTER = "cluster-a";

    private final FakeDataGrid.Network network = new FakeDataGrid.Network();

    private static BrokerInfo broker(int id) {
        return new BrokerInfo(id, CLUSTER, "127.0.0.1:" + (9092 + id), Optional.of("http://127.0.0.1:" + (8080 + id)
                + "/"), false);
    }

    private static List<Integer> ids(ClusterView view) {
        return view.brokers().stream().map(BrokerInfo::id).toList();
    }

    private static int controller(GridMembership membership) {
        return membership.view().controller().orElseThrow().id();
    }

    /** The issue-16 merge: the grid changed, its events never arrived, and the view must heal all the same. */
    @Test
    void aRecheckPicksUpAChangeWhoseEventsWereLost() {
        GridMembership one = GridMembership.join(network.join(), broker(1));
        FakeDataGrid secondMember = network.join();
        GridMembership.join(secondMember, broker(2));
        List<ClusterView> heard = new CopyOnWriteArrayList<>();
        one.addListener(heard::add);

        network.loseEvents(true);
        network.crash(secondMember);
        assertEquals(List.of(), heard, "no event arrived");

        one.recheck();
        assertEquals(List.of(1), ids(one.view()));
        assertEquals(List.of(List.of(1)), heard.stream().map(GridMembershipTest::ids).toList(),
                "the listeners heard of the change from the recheck");
        one.recheck();
        assertEquals(1, heard.size(), "a recheck that finds nothing new tells nobody");
    }

    /** A remote read of the grid's map may stall the timers' thread: only when the copy disagrees, or now and then. */
    @Test
    void aRecheckReReadsTheMapWhenItsCopyDisagreesAndOtherwiseOnlyNowAndThen() {
        FakeDataGrid grid = network.join();
        GridMembership one = GridMembership.join(grid, broker(1));
        GridMembership two = GridMembership.join(network.join(), broker(2));

        one.recheck();
        assertEquals(0, grid.resyncs(), "the copy agrees with the members");

        network.announcements.remove("member-1"); // the map lost broker 2's entry behind everyone's back
        one.recheck();
        assertEquals(1, grid.resyncs(), "a member without an announcement");
        two.recheck();
        assertEquals(List.of(1, 2), ids(one.view()), "broker 2 announced itself again");

        for (int i = 1; i < GridMembership.RESYNC_EVERY_RECHECKS; i++)
            one.recheck();
        assertEquals(1, grid.resyncs(), "nothing disagreed");
        one.recheck();
        assertEquals(2, grid.resyncs(), "at least every " + GridMembership.RESYNC_EVERY_RECHECKS + " rechecks");
    }

    @Test
    void everyBrokerSeesTheSameBrokersWithTheOldestAsController() {
        // Broker ids say nothing about age: broker 5 joins first, so it is the controller.
        GridMembership five = GridMembership.join(network.join(), broker(5));
        GridMembership two = GridMembership.join(network.join(), broker(2));
        GridMembership seven = GridMembership.join(network.join(), broker(7));

        for (GridMembership membership : List.of(five, two, seven)) {
            assertEquals(List.of(5, 2, 7), ids(membership.view()));
            assertEquals(5, controller(membership));
        }
        assertTrue(five.view().isController(5));
        assertFalse(two.view().isController(2));
    }

    @Test
    void gridMembersWithoutABrokerAreNeitherBrokersNorController() {
        network.join(); // an application server in the same grid that runs no broker, and is the oldest member
        GridMembership one = GridMembership.join(network.join(), broker(1));
        GridMembership two = GridMembership.join(network.join(), broker(2));

        assertEquals(List.of(1, 2), ids(two.view()));
        assertEquals(1, controller(two));
        assertEquals(1, controller(one));
    }

    @Test
    void aKilledBrokerDropsOutAndTheNextOldestTakesOver() {
        FakeDataGrid firstMember = network.join();
        GridMembership first = GridMembership.join(firstMember, broker(0));
        GridMembership second = GridMembership.join(network.join(), broker(1));
        GridMembership third = GridMembership.join(network.join(), broker(2));
        List<ClusterView> seenBySecond = new CopyOnWriteArrayList<>();
        second.addListener(seenBySecond::add);

        network.crash(firstMember); // kill -9: no withdrawal of its own

        assertEquals(List.of(1, 2), ids(second.view()));
        assertEquals(1, controller(second));
        assertEquals(1, controller(third));
        assertEquals(List.of(List.of(1, 2)), seenBySecond.stream().map(GridMembershipTest::ids).toList(),
                "one change, reported once");
        assertFalse(network.announcements().containsKey(firstMember.localMemberId()),
                "the survivors withdraw the dead member's announcement: " + network.announcements());
        first.close();
    }

    @Test
    void listenersHearJoinsAndCleanLeaves() {
        GridMembership first = GridMembership.join(network.join(), broker(0));
        List<List<Integer>> seen = new CopyOnWriteArrayList<>();
        first.addListener(view -> seen.add(ids(view)));

        GridMembership second = GridMembership.join(network.join(), broker(1));
        second.close();

        assertEquals(List.of(List.of(0, 1), List.of(0)), seen);
        assertEquals(List.of(0), ids(first.view()), "a broker that closed is gone although its member lives on");
    }

    @Test
    void aBrokerOnTheEmbeddedDatabaseCannotJoinAnotherBroker() {
        GridMembership shared = GridMembership.join(network.join(), broker(0));
        FakeDataGrid member = network.join();
        BrokerInfo embedded = new BrokerInfo(0, "its-own-cluster", "127.0.0.1:9999", Optional.empty(), true);

        ClusterConflictException failure = assertThrows(ClusterConflictException.class,
                () -> GridMembership.join(member, embedded));

        assertTrue(failure.getMessage().contains("embedded H2"), failure.getMessage());
        assertTrue(failure.getMessage().contains("a cluster needs a shared database (PostgreSQL)"),
                failure.getMessage());
        for (String how : List.of("--db-url", "--db-user", "TRIBUTARY_DB_PASSWORD")) {
            assertTrue(failure.getMessage().contains(how), "says how: " + how + " in " + failure.getMessage());
        }
        assertFalse(network.announcements().containsKey(member.localMemberId()), "the refused broker withdrew");
        assertEquals(List.of(0), ids(shared.view()));
    }

    @Test
    void aBrokerOnTheEmbeddedDatabaseIsAloneUntilAnotherComes() {
        BrokerInfo embedded = new BrokerInfo(0, "its-own", "127.0.0.1:9092", Optional.empty(), true);
        GridMembership alone = GridMembership.join(network.join(), embedded);
        assertEquals(List.of(0), ids(alone.view()), "a grid with one broker is fine on H2");

        ClusterConflictException failure = assertThrows(ClusterConflictException.class,
                () -> GridMembership.join(network.join(), broker(1)));
        assertTrue(failure.getMessage().contains("broker 0 (Kafka 127.0.0.1:9092), which uses the embedded H2"),
                failure.getMessage());
    }

    @Test
    void brokersOfDifferentDatabasesCannotJoin() {
        GridMembership.join(network.join(), broker(0));
        BrokerInfo other = new BrokerInfo(1, "cluster-b", "127.0.0.1:9999", Optional.empty(), false);

        ClusterConflictException failure = assertThrows(ClusterConflictException.class,
                () -> GridMembership.join(network.join(), other));
        assertTrue(failure.getMessage().contains("must use the same database"), failure.getMessage());
    }

    @Test
    void twoBrokersWithOneIdentityCannotJoin() {
        GridMembership.join(network.join(), broker(3));
        BrokerInfo copy = new BrokerInfo(3, CLUSTER, "10.0.0.9:9092", Optional.empty(), false);

        ClusterConflictException failure = assertThrows(ClusterConflictException.class,
                () -> GridMembership.join(network.join(), copy));
        assertTrue(failure.getMessage().contains("same identity"), failure.getMessage());
    }

    /**
     * Members dying together can take the map's copies of a live broker's entry with them (and a merge after a
     * network split may drop it): the broker still sees itself, and announces itself again on the next change.
     */
    @Test
    void aBrokerWhoseAnnouncementWasLostAnnouncesAgain() {
        FakeDataGrid member = network.join();
        GridMembership first = GridMembership.join(member, broker(0));
        GridMembership second = GridMembership.join(network.join(), broker(1));

        network.announcements.remove(member.localMemberId());
        assertEquals(List.of(0, 1), ids(first.view()), "alive, so in its own view");
        assertEquals(List.of(1), ids(second.view()), "the others miss it until it announces again");

        GridMembership third = GridMembership.join(network.join(), broker(2)); // the next change

        assertEquals(List.of(0, 1, 2), ids(second.view()));
        assertEquals(List.of(0, 1, 2), ids(third.view()));
    }

    @Test
    void unreadableAnnouncementsAreIgnored() {
        FakeDataGrid stranger = network.join();
        stranger.announce("not an announcement");
        GridMembership one = GridMembership.join(network.join(), broker(1));
        assertEquals(List.of(1), ids(one.view()));
    }
}
