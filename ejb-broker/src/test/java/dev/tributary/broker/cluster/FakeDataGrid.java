package dev.tributary.broker.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory data grid for membership tests: one {@link Network} is the grid (members in join order, one shared
 * map); each member sees it through its own {@link FakeDataGrid}. Change callbacks run synchronously on the thread
 * that changed the grid, as if the grid's event threads were instant. Public for the tests of other packages that
 * run several brokers in one JVM.
 */
public final class FakeDataGrid implements DataGrid {

    /** The grid itself. */
    public static final class Network {
        private final List<String> members = new CopyOnWriteArrayList<>();
        /** Tests may change it behind the members' backs, as a grid merge after a split may. */
        final Map<String, String> announcements = new ConcurrentHashMap<>();
        private final Map<String, List<Runnable>> subscribers = new ConcurrentHashMap<>();
        /**
         * Members cut off from the others, with the copy of the map each keeps meanwhile: each sees only itself,
         * the others do not see it, and neither side sees the other's map changes.
         */
        private final Map<String, Map<String, String>> isolated = new ConcurrentHashMap<>();
        /** While set, the grid changes but tells nobody, as events are lost while a member merges back. */
        private volatile boolean eventsLost;
        private int nextMember;

        /** A new member joins (the youngest). */
        public synchronized FakeDataGrid join() {
            String id = "member-" + nextMember++;
            members.add(id);
            changed();
            return new FakeDataGrid(this, id);
        }

        /** The member leaves as a killed process does: without withdrawing its announcement. */
        public void crash(FakeDataGrid member) {
            members.remove(member.memberId);
            subscribers.remove(member.memberId); // a dead process hears nothing
            changed();
        }

        /** A network split: {@code member} and the rest each go on alone, as Hazelcast's two sides do. */
        public void isolate(FakeDataGrid member) {
            isolated.put(member.memberId, new ConcurrentHashMap<>(announcements));
            changed();
        }

        /**
         * The split heals: the member is one of the others again, at its old age, and what its side of the map
         * held is merged in where the others have nothing (Hazelcast's default merge policy, put-if-absent).
         */
        public void heal(FakeDataGrid member) {
            Map<String, String> side = isolated.remove(member.memberId);
            if (side != null)
                side.forEach(announcements::putIfAbsent);
            changed();
        }

        List<String> membersSeenBy(String member) {
            if (isolated.containsKey(member))
                return members.contains(member) ? List.of(member) : List.of();
            return members.stream().filter(other -> !isolated.containsKey(other)).toList();
        }

        /** The map as {@code member}'s side of a split holds it. */
        Map<String, String> mapOf(String member) {
            return isolated.getOrDefault(member, announcements);
        }

        Map<String, String> announcements() {
            return new LinkedHashMap<>(announcements);
        }

        /** From now on changes are not announced to the members (until {@code false}). */
        public void loseEvents(boolean lost) {
            eventsLost = lost;
        }

        private void changed() {
            if (eventsLost)
                return;
            subscribers.values().forEach(member -> member.forEach(Runnable::run));
        }
    }

    private final Network network;
    private final String memberId;
    private final AtomicInteger resyncs = new AtomicInteger();

    private FakeDataGrid(Network network, String memberId) {
        this.network = network;
        this.memberId = memberId;
    }

    @Override
    public String localMemberId() {
        return memberId;
    }

    @Override
    public List<String> memberIds() {
        return new ArrayList<>(network.membersSeenBy(memberId));
    }

    @Override
    public Map<String, String> announcements() {
        return new LinkedHashMap<>(network.mapOf(memberId));
    }

    /** Counts the calls: this fake keeps no copy of the map, so there is nothing to re-read. */
    @Override
    public void resync() {
        resyncs.incrementAndGet();
    }

    /** How often {@link #resync} was called on this member. */
    public int resyncs() {
        return resyncs.get();
    }

    @Override
    public void announce(String announcement) {
        network.mapOf(memberId).put(memberId, announcement);
        network.changed();
    }

    @Override
    public void withdraw(String member) {
        if (network.mapOf(memberId).remove(member) != null) {
            network.changed();
        }
    }

    @Override
    public Subscription subscribe(Runnable onChange) {
        List<Runnable> own = network.subscribers.computeIfAbsent(memberId, member -> new CopyOnWriteArrayList<>());
        own.add(onChange);
        return () -> own.remove(onChange);
    }
}
