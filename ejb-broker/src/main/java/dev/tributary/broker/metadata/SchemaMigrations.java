package dev.tributary.broker.metadata;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.logging.Logger;

/**
 * Brings the metadata schema up to date from the project's versioned SQL scripts
 * ({@code META-INF/tributary/schema/V<n>__*.sql}), recording the applied version in {@code TRIB_SCHEMA_VERSION}.
 * Scripts are written idempotently ({@code IF NOT EXISTS}) so that a migration interrupted between its DDL and its
 * version row simply runs again. The schema is the project's, not the ORM's: generated DDL cannot be reviewed,
 * and re-running it on every start fails noisily on existing constraints.
 */
final class SchemaMigrations {

    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class.getName());
    private static final String LOCATION = "META-INF/tributary/schema/";
    /** In order; the n-th script is schema version n. */
    static final List<String> SCRIPTS = List.of("V1__topics.sql", "V2__committed_offsets.sql", "V3__topic_ids.sql",
            "V4__users.sql", "V5__acls.sql", "V6__brokers.sql", "V7__partitions.sql",
            "V8__consumer_groups.sql", "V9__fencing.sql", "V10__transactions.sql");

    private SchemaMigrations() {
    }

    static void apply(EntityManagerFactory emf) {
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            Connection connection = em.unwrap(Connection.class);
            int current = currentVersion(connection);
            for (int version = current + 1; version <= SCRIPTS.size(); version++) {
                String script = SCRIPTS.get(version - 1);
                execute(connection, read(script));
                recordVersion(connection, version);
                LOG.info("Applied metadata schema migration " + script);
            }
            em.getTransaction().commit();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot migrate the metadata schema: " + e.getMessage(), e);
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    private static int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS TRIB_SCHEMA_VERSION (VERSION INTEGER NOT NULL PRIMARY KEY)");
            try (ResultSet rs = statement.executeQuery("SELECT MAX(VERSION) FROM TRIB_SCHEMA_VERSION")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void recordVersion(Connection connection, int version) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO TRIB_SCHEMA_VERSION VALUES (?)")) {
            insert.setInt(1, version);
            insert.executeUpdate();
        }
    }

    private static void execute(Connection connection, String script) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : script.replaceAll("(?m)^--.*$", "").split(";")) {
                if (!sql.isBlank()) {
                    statement.execute(sql.strip());
                }
            }
        }
    }

    private static String read(String script) {
        try (InputStream in = SchemaMigrations.class.getClassLoader().getResourceAsStream(LOCATION + script)) {
            if (in == null) {
                throw new IllegalStateException("Schema script " + LOCATION + script + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
