package dev.tributary.jca.inbound;

import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Message-driven beans whose activation ended, remembered so that the adapter can tell, when it stops, which of them
 * still run in their application and so receive nothing from now on.
 *
 * <p>Why: a server deactivates the endpoints of an application it undeploys, and also (Payara does) every endpoint
 * of an adapter it undeploys or redeploys, while their applications keep running; it does not activate them again
 * on the adapter deployed anew (Payara issue 2386). Only at the adapter's stop can the two be told apart: an
 * application that was undeployed no longer hands out endpoints, one that still runs does.
 *
 * <p>The beans are held weakly (an undeployed application's classes must not be kept), with their description taken
 * while they were active. Thread-safe.
 */
public final class OrphanedEndpoints {

    private record Deactivated(WeakReference<MessageEndpointFactory> factory, String description) {
    }

    private final List<Deactivated> deactivated = new ArrayList<>();

    /** Remembers a bean whose activation has just been stopped. */
    public synchronized void deactivated(EndpointActivation activation) {
        deactivated.removeIf(d -> d.factory().get() == null);
        deactivated.add(new Deactivated(new WeakReference<>(activation.factory()), activation.describe()));
    }

    /**
     * The descriptions of the remembered beans whose application still takes deliveries, then forgets them all
     * (called once, as the adapter stops).
     */
    public synchronized List<String> stillRunning() {
        List<String> running = new ArrayList<>();
        for (Deactivated bean : deactivated) {
            MessageEndpointFactory factory = bean.factory().get();
            if (factory != null && RecordDelivery.endpointAvailable(factory)) {
                running.add(bean.description());
            }
        }
        deactivated.clear();
        return running;
    }
}
