package dev.tributary.jca.outbound;

import dev.tributary.jca.api.TributaryConnection;
import dev.tributary.jca.api.TributaryConnectionFactory;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import javax.naming.Reference;

/** The factory applications look up; every connection comes from the container's {@link ConnectionManager}. */
final class TributaryConnectionFactoryImpl implements TributaryConnectionFactory {

    private static final long serialVersionUID = 1L;

    private final transient TributaryManagedConnectionFactory managedFactory;
    private final transient ConnectionManager connectionManager;
    private Reference reference;

    TributaryConnectionFactoryImpl(TributaryManagedConnectionFactory managedFactory,
                                   ConnectionManager connectionManager) {
        this.managedFactory = managedFactory;
        this.connectionManager = connectionManager;
    }

    @Override
    public TributaryConnection getConnection() throws ResourceException {
        return (TributaryConnection) connectionManager.allocateConnection(managedFactory, null);
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }
}
