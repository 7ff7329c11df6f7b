package dev.tributary.jca;

import dev.tributary.jca.inbound.EndpointActivation;
import dev.tributary.jca.inbound.OrphanedEndpoints;
import dev.tributary.jca.inbound.TributaryActivationSpec;
import dev.tributary.jca.outbound.AsyncSends;
import dev.tributary.jca.outbound.TransactionBuffers;
import dev.tributary.jca.remote.RemoteBrokerGateway;
import dev.tributary.jca.spi.BrokerGateway;
import dev.tributary.jca.spi.InVmBrokers;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import javax.transaction.xa.XAResource;

/**
 * The Tributary resource adapter (declared in {@code META-INF/ra.xml}): outbound connection factories that send
 * into the broker, and inbound activations that deliver a consumer group's records to message-driven beans.
 *
 * <p>The broker is the one running in the same JVM, found through {@link InVmBrokers} per use (so the broker
 * application may be redeployed under a running adapter) — unless the {@code bootstrapServers} config property
 * names remote brokers: then every connection and activation speaks the Kafka protocol to them
 * ({@link RemoteBrokerGateway}, which documents what remote mode cannot do).
 */
public class TributaryResourceAdapter implements ResourceAdapter {

    private static final Logger LOG = Logger.getLogger(TributaryResourceAdapter.class.getName());

    private final Map<ActivationKey, EndpointActivation> activations = new ConcurrentHashMap<>();
    private final OrphanedEndpoints deactivated = new OrphanedEndpoints();
    private final TransactionBuffers transactionBuffers = new TransactionBuffers();
    private final AsyncSends asyncSends = new AsyncSends(this::broker, this::workManager);
    private volatile WorkManager workManager;
    private String bootstrapServers = "";
    private volatile RemoteBrokerGateway remote;

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
        if (bootstrapServers.isBlank()) {
            LOG.info("Tributary resource adapter started: in-VM broker");
        } else {
            remote = new RemoteBrokerGateway(bootstrapServers.strip());
            LOG.info(() -> "Tributary resource adapter started: remote brokers " + remote.bootstrapServers());
        }
    }

    /**
     * Stops every activation still running (each leaves its group); the container releases their Work.
     *
     * <p>Logs at SEVERE which message-driven beans still run in their applications without receiving: the adapter
     * is being undeployed or redeployed under them, and Payara will not activate them on the adapter deployed again
     * (issue 2386), so their deliveries would otherwise stop silently. The log names the beans and the recovery.
     */
    @Override
    public void stop() {
        List<String> orphaned = new ArrayList<>(activations.values().stream().map(EndpointActivation::describe)
                .toList());
        orphaned.addAll(deactivated.stillRunning());
        if (!orphaned.isEmpty()) {
            LOG.severe(() -> "The Tributary resource adapter is stopping under message-driven beans whose "
                    + "applications still run: " + String.join("; ", orphaned.stream().sorted().toList())
                    + ". They receive nothing from now on: the server does not activate them again on an adapter "
                    + "deployed anew. To recover: deploy tributary-jca.rar, then redeploy the broker (tributary.ear, "
                    + "or tributary.war on Payara Micro), then redeploy each of these applications (or restart the "
                    + "server). See docs/jakarta-ee.md, \"Redeploying\".");
        }
        activations.values().forEach(EndpointActivation::stop);
        activations.clear();
        if (remote != null) {
            remote.close();
            remote = null;
        }
        LOG.info("Tributary resource adapter stopped");
    }

    /** Fails (naming the property) if the activation config is invalid: the bean's deployment fails with it. */
    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        if (!(spec instanceof TributaryActivationSpec tributarySpec)) {
            throw new NotSupportedException("Not a Tributary activation spec: " + spec);
        }
        EndpointActivation activation = new EndpointActivation(factory, tributarySpec, workManager, this::awaitBroker);
        activations.put(new ActivationKey(factory, spec), activation);
        activation.start();
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        EndpointActivation activation = activations.remove(new ActivationKey(factory, spec));
        if (activation != null) {
            activation.stop();
            deactivated.deactivated(activation);
        }
    }

    /** Offsets are committed by the delivery's own XAResource; nothing is left in doubt to recover here. */
    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    /** The remote brokers if configured, else the broker running in this JVM. @throws IllegalStateException if none is */
    public BrokerGateway broker() {
        RemoteBrokerGateway configured = remote;
        return configured != null ? configured : InVmBrokers.current();
    }

    private BrokerGateway awaitBroker(Duration timeout) throws InterruptedException {
        RemoteBrokerGateway configured = remote;
        if (configured != null) {
            return configured;
        }
        try {
            return InVmBrokers.await(timeout);
        } catch (IllegalStateException none) {
            return null;
        }
    }

    /** Config property (ra.xml, or the server's resource-adapter config): remote brokers, comma-separated. */
    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers == null ? "" : bootstrapServers;
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

    // A resource adapter must implement equals/hashCode over its configuration (JCA 5.3.1).
    @Override
    public boolean equals(Object other) {
        return other instanceof TributaryResourceAdapter that && that.bootstrapServers.equals(bootstrapServers);
    }

    @Override
    public int hashCode() {
        return bootstrapServers.hashCode();
    }
}
