package dev.tributary.jca;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.util.logging.Logger;
import javax.transaction.xa.XAResource;

/**
 * The Tributary resource adapter (declared in {@code META-INF/ra.xml}). This first cut only establishes the deployable RAR (so that the broker's
 * deployment order, RAR before WAR, holds from day one); outbound connection factories and inbound activation
 * arrive with the JCA issue.
 */
public class TributaryResourceAdapter implements ResourceAdapter {

    private static final Logger LOG = Logger.getLogger(TributaryResourceAdapter.class.getName());

    @Override
    public void start(BootstrapContext context) {
        LOG.info("Tributary resource adapter started");
    }

    @Override
    public void stop() {
        LOG.info("Tributary resource adapter stopped");
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        throw new jakarta.resource.NotSupportedException("Inbound delivery is not implemented yet");
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        // Nothing is ever activated.
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    // A resource adapter must implement equals/hashCode (JCA 5.3.1); one instance per deployment.
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
