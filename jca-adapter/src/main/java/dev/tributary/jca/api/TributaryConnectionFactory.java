package dev.tributary.jca.api;

import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;
import java.io.Serializable;

/**
 * What applications inject:
 * <pre>{@code
 * @ConnectionFactoryDefinition(name = "java:app/tributary/cf",
 *         interfaceName = "dev.tributary.jca.api.TributaryConnectionFactory", resourceAdapter = "tributary-jca")
 * ...
 * @Resource(lookup = "java:app/tributary/cf") TributaryConnectionFactory factory;
 * }</pre>
 * or the server-wide factory {@code tributary/ConnectionFactory}.
 */
public interface TributaryConnectionFactory extends Serializable, Referenceable {

    /**
     * A connection from the container's pool, enlisted in the caller's JTA transaction if there is one.
     *
     * @throws ResourceException if the pool cannot hand one out
     */
    TributaryConnection getConnection() throws ResourceException;
}
