package dev.tributary.broker.cluster;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one heartbeat read in the metadata database, every expiry judged on the database's clock at that moment.
 *
 * @param registered the electorate a majority is counted in: every registered broker but those that stopped
 *                   cleanly (ended their session) and have not started since. A broker that dies or is cut off
 *                   stays in it, so two sides of a split can never both count a majority; one that an operator
 *                   stopped leaves it, so that the others may still act (two brokers of three stopped for
 *                   maintenance leave one that can)
 * @param live       the brokers whose sessions had not expired
 * @param controller the controller lease, if it was held and unexpired
 * @param addresses  the addresses each live broker recorded, by id
 */
public record SessionSnapshot(Set<Integer> registered, Set<Integer> live, Optional<ControllerLease> controller,
                              Map<Integer, RegisteredBroker> addresses) {

    public SessionSnapshot {
        registered = Set.copyOf(registered);
        live = Set.copyOf(live);
        addresses = Map.copyOf(addresses);
    }

    /** Before the first heartbeat: nobody is known, so nobody has a majority. */
    public static SessionSnapshot none() {
        return new SessionSnapshot(Set.of(), Set.of(), Optional.empty(), Map.of());
    }
}
