package dev.tributary.broker.cluster;

import dev.tributary.broker.log.LogFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code DATA_DIR/meta.properties}: the identity a data directory was given, as Kafka keeps one per log directory.
 *
 * <pre>
 * tributary.meta.version=1
 * cluster.id=...
 * broker.id=3
 * </pre>
 *
 * <p>Written once, atomically (temporary file, fsync, rename, fsync of the directory), so that a crash leaves either
 * no file or a whole one. The version key marks the file as Tributary's: a Kafka broker's {@code meta.properties}
 * (same name, no such key) is refused instead of being read as ours.
 */
public final class MetaProperties {

    static final String FILE_NAME = "meta.properties";
    static final String VERSION_KEY = "tributary.meta.version";
    static final String CLUSTER_ID_KEY = "cluster.id";
    static final String BROKER_ID_KEY = "broker.id";
    private static final String VERSION = "1";

    private MetaProperties() {
    }

    static Path file(Path dataDir) {
        return dataDir.resolve(FILE_NAME);
    }

    /**
     * @return the identity recorded in {@code dataDir}, or empty if the directory has none yet
     * @throws InvalidMetaPropertiesException if the file exists but is not a valid Tributary identity
     */
    public static Optional<BrokerIdentity> read(Path dataDir) {
        Path file = file(dataDir);
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new InvalidMetaPropertiesException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        Properties properties = new Properties();
        try (Reader reader = new StringReader(content)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw corrupt(file, "it is not a properties file (" + e.getMessage() + ")");
        }
        String version = properties.getProperty(VERSION_KEY);
        if (version == null) {
            throw corrupt(file, "it has no " + VERSION_KEY + ", so it was not written by Tributary"
                    + " (a Kafka broker's data directory?)");
        }
        if (!VERSION.equals(version.strip())) {
            throw corrupt(file, "its " + VERSION_KEY + " is " + version + "; this broker reads version " + VERSION);
        }
        String clusterId = properties.getProperty(CLUSTER_ID_KEY, "").strip();
        if (clusterId.isEmpty()) {
            throw corrupt(file, "it has no " + CLUSTER_ID_KEY);
        }
        String brokerId = properties.getProperty(BROKER_ID_KEY, "").strip();
        try {
            int id = Integer.parseInt(brokerId);
            if (id < 0) {
                throw corrupt(file, BROKER_ID_KEY + " must not be negative, but is " + id);
            }
            return Optional.of(new BrokerIdentity(id, clusterId));
        } catch (NumberFormatException e) {
            throw corrupt(file, BROKER_ID_KEY + " must be a whole number, but is '" + brokerId + "'");
        }
    }

    /** Records {@code identity} in {@code dataDir}, replacing any earlier file atomically. */
    public static void write(Path dataDir, BrokerIdentity identity) {
        Properties properties = new Properties();
        properties.setProperty(VERSION_KEY, VERSION);
        properties.setProperty(CLUSTER_ID_KEY, identity.clusterId());
        properties.setProperty(BROKER_ID_KEY, Integer.toString(identity.brokerId()));
        StringWriter text = new StringWriter();
        try {
            properties.store(text, "This data directory's broker identity. Never copy it to another broker.");
            LogFiles.writeAtomically(file(dataDir), text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file(dataDir), e);
        }
    }

    private static InvalidMetaPropertiesException corrupt(Path file, String problem) {
        return new InvalidMetaPropertiesException("Refusing to start: " + file + " is not a valid broker identity: "
                + problem + ". Fix or remove the file only if this data directory is not another broker's.");
    }
}
