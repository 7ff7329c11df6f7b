package dev.tributary.broker.boundary;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.tributary.broker.cluster.DataGrid;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server's Hazelcast member as the broker's {@link DataGrid}: members from {@code getCluster().getMembers()}
 * (Hazelcast keeps them in join order, the same on every member), announcements in the distributed map
 * {@value #MAP}, keyed by member UUID. Keys and values are strings only, so no member ever has to deserialize one
 * of this application's classes (other servers' class loaders do not have them).
 */
final class HazelcastDataGrid implements DataGrid {

    static final String MAP = "tributary-brokers";
    private static final Logger LOG = Logger.getLogger(HazelcastDataGrid.class.getName());

    private final HazelcastInstance hazelcast;
    private final IMap<String, String> announcements;
    /**
     * A local copy of {@link #announcements}, kept by the subscription's entry listener: reading the map itself
     * is a remote call per partition, which stalls for as long as the grid moves partitions after a member left,
     * exactly when the broker needs its view at once (to elect leaders).
     */
    private final Map<String, String> mirror = new ConcurrentHashMap<>();
    private volatile boolean mirrored;

    HazelcastDataGrid(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
        try {
            // As many copies as Hazelcast keeps (one per member up to 7): with its default single backup, two
            // members dying together lose the entries whose primary and backup they held, live brokers' included.
            hazelcast.getConfig().addMapConfig(new MapConfig(MAP).setBackupCount(MapConfig.MAX_BACKUP_COUNT));
        } catch (RuntimeException e) {
            // Configured otherwise by the server's own Hazelcast configuration: that one applies.
            LOG.log(Level.INFO, "Keeping the data grid's configuration of map " + MAP + ": " + e.getMessage(), e);
        }
        this.announcements = hazelcast.getMap(MAP);
    }

    @Override
    public String localMemberId() {
        return hazelcast.getCluster().getLocalMember().getUuid().toString();
    }

    @Override
    public List<String> memberIds() {
        return hazelcast.getCluster().getMembers().stream().map(Member::getUuid).map(UUID::toString).toList();
    }

    @Override
    public Map<String, String> announcements() {
        return new HashMap<>(mirrored ? mirror : announcements);
    }

    @Override
    public void announce(String announcement) {
        announcements.set(localMemberId(), announcement);
        mirror.put(localMemberId(), announcement);
    }

    @Override
    public void withdraw(String memberId) {
        announcements.delete(memberId);
        mirror.remove(memberId);
    }

    @Override
    public Subscription subscribe(Runnable onChange) {
        UUID members = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                onChange.run();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                onChange.run();
            }
        });
        UUID entries = announcements.addEntryListener(new AnnouncementListener(mirror, onChange), true);
        // After a split heals, the smaller side's members rejoin the larger cluster: Hazelcast reports MERGED on
        // them, and the members and the map may have changed without the events above.
        UUID lifecycle = hazelcast.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                LOG.info("The data grid merged after a split; re-reading its members and announcements");
                resync();
                onChange.run();
            }
        });
        mirror.putAll(announcements); // after the listener is in place, so no announcement made meanwhile is missed
        mirrored = true;
        return () -> {
            mirrored = false;
            hazelcast.getCluster().removeMembershipListener(members);
            announcements.removeEntryListener(entries);
            hazelcast.getLifecycleService().removeLifecycleListener(lifecycle);
        };
    }

    /**
     * Replaces the mirror by the map's entries: entry events are lost while a member is split off, and its
     * listener registration may not survive the merge. A remote read, so never on a grid event thread's hot path.
     */
    @Override
    public void resync() {
        if (!mirrored)
            return;
        Map<String, String> current = new HashMap<>(announcements);
        mirror.keySet().retainAll(current.keySet());
        mirror.putAll(current);
    }

    /**
     * Any change of an announcement (a broker joined, left cleanly, or announced itself again): copied into the
     * mirror before the subscriber hears of it.
     */
    private record AnnouncementListener(Map<String, String> mirror, Runnable onChange)
            implements EntryAddedListener<String, String>, EntryRemovedListener<String, String>,
            EntryUpdatedListener<String, String> {

        @Override
        public void entryAdded(EntryEvent<String, String> event) {
            mirror.put(event.getKey(), event.getValue());
            onChange.run();
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> event) {
            mirror.remove(event.getKey());
            onChange.run();
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> event) {
            mirror.put(event.getKey(), event.getValue());
            onChange.run();
        }
    }
}
