package dev.tributary.broker.cluster;

import java.util.List;
import java.util.Map;

/**
 * The little this package needs of the application server's data grid (in Payara, its Hazelcast member): the
 * members in age order, and a grid-wide map in which each member may announce itself. The boundary implements it;
 * tests fake it.
 */
public interface DataGrid {

    /** This member's id, unique in the grid and never reused (Hazelcast's member UUID). */
    String localMemberId();

    /** The grid's members now, oldest first, this one included; every member sees the same order. */
    List<String> memberIds();

    /** The announcements in the grid-wide map, by member id; may still hold those of members that left. */
    Map<String, String> announcements();

    /**
     * Re-reads the grid-wide map, for an implementation that keeps a local copy of it: a copy kept up by events
     * misses those lost while the member was split off. May block while the grid is busy.
     */
    default void resync() {
    }

    /** Puts this member's announcement into the grid-wide map (visible to every member when it returns). */
    void announce(String announcement);

    /** Removes a member's announcement; removing one that is gone is harmless. */
    void withdraw(String memberId);

    /**
     * Calls {@code onChange} on the grid's threads after members join or leave and after announcements change.
     *
     * @return stops the calls
     */
    Subscription subscribe(Runnable onChange);

    /** A registration with the grid that can be cancelled. */
    @FunctionalInterface
    interface Subscription {
        void cancel();
    }
}
