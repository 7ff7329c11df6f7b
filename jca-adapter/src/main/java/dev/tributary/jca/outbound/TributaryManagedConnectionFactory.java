package dev.tributary.jca.outbound;

import dev.tributary.jca.TributaryResourceAdapter;
import dev.tributary.jca.spi.BrokerGateway;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import jakarta.resource.spi.TransactionSupport;
import java.io.PrintWriter;
import java.util.Set;
import javax.security.auth.Subject;

/**
 * Makes the connection factories applications inject ({@code @ConnectionFactoryDefinition} or the server-wide
 * {@code tributary/ConnectionFactory}). All managed connections are interchangeable: they carry no credentials and
 * no per-connection configuration, so any pooled one matches any request.
 *
 * <p>{@code equals}/{@code hashCode} compare configuration, as JCA 6.5.3.1 requires; this factory has none beyond
 * the adapter it belongs to.
 */
public class TributaryManagedConnectionFactory implements ManagedConnectionFactory, ResourceAdapterAssociation,
        TransactionSupport {

    private static final long serialVersionUID = 1L;

    private transient TributaryResourceAdapter adapter;
    private transient PrintWriter logWriter;

    @Override
    public Object createConnectionFactory(ConnectionManager connectionManager) {
        return new TributaryConnectionFactoryImpl(this, connectionManager);
    }

    /** Tributary connections need the container's pooling and transaction enlistment. */
    @Override
    public Object createConnectionFactory() throws ResourceException {
        throw new NotSupportedException("Tributary connection factories are container-managed only");
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info) {
        return new TributaryManagedConnection(this, adapter().transactionBuffers());
    }

    @Override
    public ManagedConnection matchManagedConnections(Set connections, Subject subject, ConnectionRequestInfo info) {
        for (Object candidate : connections) {
            if (candidate instanceof TributaryManagedConnection connection) {
                return connection;
            }
        }
        return null;
    }

    /** XA: records sent in a JTA transaction are appended only if it commits. */
    @Override
    public TransactionSupportLevel getTransactionSupport() {
        return TransactionSupportLevel.XATransaction;
    }

    BrokerGateway broker() {
        return adapter().broker();
    }

    AsyncSends asyncSends() {
        return adapter().asyncSends();
    }

    private TributaryResourceAdapter adapter() {
        if (adapter == null) {
            throw new IllegalStateException("This connection factory is not associated with the Tributary adapter");
        }
        return adapter;
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return adapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter adapter) throws ResourceException {
        if (!(adapter instanceof TributaryResourceAdapter tributary)) {
            throw new ResourceException("Not the Tributary resource adapter: " + adapter);
        }
        this.adapter = tributary;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TributaryManagedConnectionFactory that && that.adapter == adapter;
    }

    @Override
    public int hashCode() {
        return TributaryManagedConnectionFactory.class.hashCode();
    }
}
