package dev.tributary.broker.cluster;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/**
 * What a live broker announces to the others through the data grid.
 *
 * @param clusterId        the cluster id of its metadata database: brokers of one cluster share it
 * @param kafkaAddress     {@code host:port} Kafka clients are told to connect to
 * @param httpUrl          base URL of its REST API ({@code http://host:port/}); empty if it does not know it
 * @param embeddedDatabase whether its metadata lives in the embedded H2 database of its own data directory
 */
public record BrokerInfo(int id, String clusterId, String kafkaAddress, Optional<String> httpUrl,
                         boolean embeddedDatabase) {

    /**
     * As plain text (properties), not a serialized object: the grid stores it in maps that servers with other
     * class loaders, or none of this application, read too.
     */
    public String encode() {
        Properties properties = new Properties();
        properties.setProperty("id", Integer.toString(id));
        properties.setProperty("cluster.id", clusterId);
        properties.setProperty("kafka", kafkaAddress);
        httpUrl.ifPresent(url -> properties.setProperty("http", url));
        properties.setProperty("embedded.database", Boolean.toString(embeddedDatabase));
        StringWriter text = new StringWriter();
        try {
            properties.store(text, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }

    /** @throws IllegalArgumentException if {@code text} is not what {@link #encode()} writes */
    public static BrokerInfo decode(String text) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
            return new BrokerInfo(Integer.parseInt(required(properties, "id")), required(properties, "cluster.id"),
                    required(properties, "kafka"), Optional.ofNullable(properties.getProperty("http")),
                    Boolean.parseBoolean(required(properties, "embedded.database")));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Not a broker announcement: " + e.getMessage() + ": " + text, e);
        }
    }

    private static String required(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("no " + key);
        }
        return value;
    }
}
