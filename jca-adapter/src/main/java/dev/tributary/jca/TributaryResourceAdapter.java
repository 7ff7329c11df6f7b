package dev.tributary.jca;

import dev.tributary.jca.inbound.EndpointActivation;
import dev.tributary.jca.inbound.TributaryActivationSpec;
import dev.tributary.jca.outbound.AsyncSends;
import dev.tributary.jca.outbound.TransactionBuffers;
import dev.tributary.jca.spi.InVmBroker;
import dev.tributary.jca.spi.InVmBrokers;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkManager;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import javax.transaction.xa.XAResource;

/**
 * The Tributary resource adapter (declared in {@code META-INF/ra.xml}): outbound connection factories that send
 * into the broker running in the same JVM, and inbound activations that deliver a consumer group's records to
 * message-driven beans. The broker is found through {@link InVmBrokers}, per use, so the broker application may be
 * redeployed under a running adapter.
 */
public class TributaryResourceAdapter implements ResourceAdapter {

    private static final Logger LOG = Logger.getLogger(TributaryResourceAdapter.class.getName());

    private final Map<ActivationKey, EndpointActivation> activations = new ConcurrentHashMap<>();
    private final TransactionBuffers transactionBuffers = new TransactionBuffers();
    private final AsyncSends asyncSends = new AsyncSends(this::broker, this::workManager);
    private volatile WorkManager workManager;

    /** JCA: one activation per (endpoint factory, activation spec) pair, compared by identity. */
    private record ActivationKey(MessageEndpointFactory factory, ActivationSpec spec) {
        @Override
        public boolean equals(Object other) {
            return other instanceof ActivationKey key && key.factory == factory && key.spec == spec;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(factory) * 31 + System.identityHashCode(spec);
        }
    }

    @Override
    public void start(BootstrapContext context) {
        workManager = context.getWorkManager();
        LOG.info("Tributary resource adapter started");
    }

    /** Stops every activation still running (each leaves its group); the container releases their Work. */
    @Override
    public void stop() {
        activations.values().forEach(EndpointActivation::stop);
        activations.clear();
        LOG.info("Tributary resource adapter stopped");
    }

    /** Fails (naming the property) if the activation config is invalid: the bean's deployment fails with it. */
    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        if (!(spec instanceof TributaryActivationSpec tributarySpec)) {
            throw new NotSupportedException("Not a Tributary activation spec: " + spec);
        }
        EndpointActivation activation = new EndpointActivation(factory, tributarySpec, workManager);
        activations.put(new ActivationKey(factory, spec), activation);
        activation.start();
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        EndpointActivation activation = activations.remove(new ActivationKey(factory, spec));
        if (activation != null) {
            activation.stop();
        }
    }

    /** Offsets are committed by the delivery's own XAResource; nothing is left in doubt to recover here. */
    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    /** The broker running in this JVM. @throws IllegalStateException if none is */
    public InVmBroker broker() {
        return InVmBrokers.current();
    }

    public WorkManager workManager() {
        if (workManager == null) {
            throw new IllegalStateException("The Tributary resource adapter is not started");
        }
        return workManager;
    }

    /** Where every connection's asynchronous sends outside a transaction are batched. */
    public AsyncSends asyncSends() {
        return asyncSends;
    }

    public TransactionBuffers transactionBuffers() {
        return transactionBuffers;
    }

    // A resource adapter must implement equals/hashCode (JCA 5.3.1); it has no config properties, so one
    // instance is equal only to itself.
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
