package dev.tributary.broker.cluster;

import dev.tributary.broker.topic.LeadershipStore.Change;
import dev.tributary.broker.topic.PartitionLeadership;
import java.util.List;
import java.util.Optional;

/**
 * The controller lease and the changes only its holder may make, in the shared metadata database. Expiries are
 * set and compared on the database's clock. Each call is one committed transaction.
 *
 * @throws RuntimeException from any method when the database cannot be reached; nothing was stored then
 */
public interface ControllerStore {

    /**
     * Takes the lease for {@code brokerId} if nobody holds it, it expired, or {@code brokerId} holds it already,
     * and sets it to expire {@code leaseMs} after the database's now. Taking it from another broker (or after a
     * release) raises the controller epoch.
     *
     * @return the lease held now; empty if another broker holds an unexpired lease
     */
    Optional<ControllerLease> claim(int brokerId, long leaseMs);

    /** Expires {@code lease} now if it is still held at its epoch, so that another broker may take it at once. */
    void release(ControllerLease lease);

    /**
     * In one transaction that first checks, under the lease row's lock, that {@code lease} is still held at its
     * epoch and unexpired: stores each change whose partition is still at the expected partition epoch and, if
     * {@code onlyFromExpiredSessions}, whose every broker it takes something from (the old leader's leadership, an
     * ISR member's place) has an expired session: so that an old leader has stopped acknowledging writes, and a
     * broker the controller's (up to a heartbeat old) view has not yet seen start keeps its place.
     *
     * @return the changes' updated leaderships that were stored
     * @throws ControllerFencedException if the lease is no longer held; nothing was stored
     */
    List<PartitionLeadership> compareAndSetAll(ControllerLease lease, List<Change> changes,
                                               boolean onlyFromExpiredSessions);
}
