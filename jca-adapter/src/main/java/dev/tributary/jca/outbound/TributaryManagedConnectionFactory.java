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
 * {@code tributary/ConnectionFactory}). All managed connections of one factory are interchangeable: the factory,
 * not the connection, carries the user they send as ({@code user}/{@code password} config properties; the broker's
 * ACLs apply to it), so any pooled one matches any request.
 *
 * <p>{@code equals}/{@code hashCode} compare configuration (adapter, user, password), as JCA 6.5.3.1 requires.
 */
public class TributaryManagedConnectionFactory implements ManagedConnectionFactory, ResourceAdapterAssociation,
        TransactionSupport {

    private static final long serialVersionUID = 1L;

    private transient TributaryResourceAdapter adapter;
    private transient PrintWriter logWriter;
    private String user = "";
    private String password = "";
    /** The broker as {@link #user}, and the gateway it was made from (a redeployed broker brings a new one). */
    private transient volatile Authenticated authenticated;

    private record Authenticated(BrokerGateway from, BrokerGateway as) {
    }

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

    /** The broker, as the configured user if there is one (checked by the broker once per broker instance). */
    BrokerGateway broker() {
        BrokerGateway broker = adapter().broker();
        if (user.isEmpty()) {
            return broker;
        }
        Authenticated current = authenticated;
        if (current == null || current.from() != broker) {
            current = new Authenticated(broker, broker.as(user, password.toCharArray()));
            authenticated = current;
        }
        return current.as();
    }

    /** Config property: the broker user the connections send as (their ACLs apply); empty for none. */
    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user == null ? "" : user.strip();
        this.authenticated = null;
    }

    /** Config property: that user's password (for Payara, an alias: {@code ${ALIAS=tributary-password}}). */
    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password == null ? "" : password;
        this.authenticated = null;
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
        return other instanceof TributaryManagedConnectionFactory that && that.adapter == adapter
                && that.user.equals(user) && that.password.equals(password);
    }

    @Override
    public int hashCode() {
        return user.hashCode();
    }
}
