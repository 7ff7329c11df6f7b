package dev.tributary.broker.metadata;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.nio.file.Path;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Opens the broker's metadata database: an embedded H2 file database in the data directory unless a JDBC URL
 * points elsewhere (PostgreSQL in production clusters).
 *
 * <p>The persistence unit is bootstrapped by the broker itself, from a descriptor under a non-standard name
 * ({@value #DESCRIPTOR}), rather than by the container from {@code META-INF/persistence.xml}: the database location
 * is broker configuration (it follows {@code --data-dir}), the broker must own its open/close order relative to
 * the logs, and the same code path then runs in unit tests without a container. The schema comes from
 * {@link SchemaMigrations}.
 */
public final class MetadataDatabase implements AutoCloseable {

    static final String DESCRIPTOR = "META-INF/tributary-persistence.xml";
    private static final String UNIT = "tributary-metadata";
    /** EclipseLink's prefix for properties it hands to the JDBC driver. */
    private static final String JDBC_PROPERTY = "eclipselink.jdbc.property.";

    private final EntityManagerFactory emf;

    private MetadataDatabase(EntityManagerFactory emf) {
        this.emf = emf;
    }

    /**
     * @param jdbcUrl the database, or empty for the embedded H2 file database under {@code dataDir/metadata}
     */
    public static MetadataDatabase open(Path dataDir, Optional<String> jdbcUrl, Optional<String> user,
                                        Optional<String> password) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("eclipselink.persistencexml", DESCRIPTOR);
        String url = jdbcUrl.orElseGet(() -> embeddedUrl(dataDir));
        properties.putAll(networkTimeouts(url));
        properties.put("jakarta.persistence.jdbc.url", url);
        properties.put("jakarta.persistence.jdbc.driver", driverFor(url));
        user.ifPresent(u -> properties.put("jakarta.persistence.jdbc.user", u));
        password.ifPresent(p -> properties.put("jakarta.persistence.jdbc.password", p));
        EntityManagerFactory emf = Persistence.createEntityManagerFactory(UNIT, properties);
        try {
            // Connects now, so that a wrong URL or a locked database fails the start rather than the first request.
            SchemaMigrations.apply(emf);
        } catch (RuntimeException e) {
            emf.close();
            throw e;
        }
        return new MetadataDatabase(emf);
    }

    /**
     * Names the driver explicitly: on a full server EclipseLink is a server module, and without a driver class it
     * asks {@link java.sql.DriverManager}, which cannot see the drivers the application bundles.
     */
    static String driverFor(String url) {
        for (Driver driver : ServiceLoader.load(Driver.class, MetadataDatabase.class.getClassLoader())) {
            try {
                if (driver.acceptsURL(url)) {
                    return driver.getClass().getName();
                }
            } catch (SQLException e) {
                // this driver cannot tell; ask the next
            }
        }
        throw new IllegalArgumentException("No JDBC driver accepts " + url
                + " (the broker ships H2 and PostgreSQL drivers)");
    }

    /**
     * For PostgreSQL, the driver properties that keep a cut network from hanging the broker: without them a query on
     * a connection whose packets are dropped waits forever (the driver's socket timeout is infinite), and the server
     * keeps a dead client's transaction, and its row locks (the controller lease's), for the hours TCP keepalive
     * takes. Settings in the URL win over these (the driver reads the URL's after its properties). Passed as
     * properties, not in the URL: EclipseLink names its session, and its JMX beans, after the URL. See
     * docs/cluster.md#fencing.
     */
    static Map<String, String> networkTimeouts(String url) {
        if (!url.startsWith("jdbc:postgresql:"))
            return Map.of();
        return Map.of(JDBC_PROPERTY + "connectTimeout", "5", JDBC_PROPERTY + "socketTimeout", "10",
                JDBC_PROPERTY + "options", "-c idle_in_transaction_session_timeout=10000 -c lock_timeout=5000");
    }

    /** The database's own connection, for tests that check its session settings. */
    EntityManagerFactory entityManagerFactory() {
        return emf;
    }

    static String embeddedUrl(Path dataDir) {
        // FILE_LOCK (H2's default) makes a second broker on the same data directory fail fast instead of sharing it.
        // WRITE_DELAY=0: H2 otherwise keeps committed changes in memory for up to half a second, and a kill -9 in
        // that window loses them (a reserved producer id block handed out twice, a transaction's decided outcome
        // forgotten, committed offsets gone). With it every commit reaches the file before it returns.
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("metadata").resolve("tributary")
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    }

    public JpaTopicStore topicStore() {
        return new JpaTopicStore(emf);
    }

    public JpaLeadershipStore leadershipStore() {
        return new JpaLeadershipStore(emf);
    }

    public JpaProducerIdBlocks producerIdBlocks() {
        return new JpaProducerIdBlocks(emf);
    }

    public JpaOffsetStore offsetStore() {
        return new JpaOffsetStore(emf);
    }

    public JpaTransactionStateStore transactionStateStore() {
        return new JpaTransactionStateStore(emf);
    }

    public JpaTransactionalOffsetStore transactionalOffsetStore() {
        return new JpaTransactionalOffsetStore(emf);
    }

    /** The offset store of broker {@code coordinatorId}'s group coordinator, fenced by its coordinator claims. */
    public JpaOffsetStore offsetStore(int coordinatorId) {
        return new JpaOffsetStore(emf, coordinatorId);
    }

    /** @param clock stamps each row's last write, for people reading the table */
    public JpaConsumerGroupStore consumerGroupStore(Clock clock) {
        return new JpaConsumerGroupStore(emf, clock);
    }

    public JpaUserStore userStore() {
        return new JpaUserStore(emf);
    }

    public JpaAclStore aclStore() {
        return new JpaAclStore(emf);
    }

    public JpaClusterSessions clusterSessions() {
        return new JpaClusterSessions(emf);
    }

    public JpaControllerStore controllerStore() {
        return new JpaControllerStore(emf);
    }

    public JpaBrokerRegistry brokerRegistry() {
        return new JpaBrokerRegistry(emf);
    }

    @Override
    public void close() {
        emf.close();
    }
}
