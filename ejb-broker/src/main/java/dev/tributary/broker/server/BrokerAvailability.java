package dev.tributary.broker.server;

import java.util.Optional;

/**
 * Whether the broker serves requests and, while it does not, where its start is or why it failed: what a boundary
 * (the REST API) tells a client before it asks anything of the broker. {@link BrokerReadiness} is the one
 * implementation; this view leaves out what feeds it and the health reports. Thread-safe: read at any time.
 */
public interface BrokerAvailability {

    /** Whether the broker has started and not stopped: requests may be served. */
    boolean serving();

    /** Where the broker is, as health reports name it: "starting", "running", "failed to start", ... */
    String state();

    /** Why the start failed, if it did: one line an operator can act on. */
    Optional<String> failure();
}
