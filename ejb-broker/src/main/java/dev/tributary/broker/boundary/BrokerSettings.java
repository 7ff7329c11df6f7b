package dev.tributary.broker.boundary;

import dev.tributary.broker.server.BrokerConfig;
import java.nio.file.Path;
import org.eclipse.microprofile.config.Config;

/**
 * Reads the broker's configuration from MicroProfile Config, so every key can come from a system property
 * ({@code -Dtributary.data.dir=...}, what {@code bin/tributary} passes) or an environment variable
 * ({@code TRIBUTARY_DATA_DIR}, MicroProfile's mapping).
 */
final class BrokerSettings {

    static final String DATA_DIR = "tributary.data.dir";
    static final String DB_URL = "tributary.db.url";
    static final String DB_USER = "tributary.db.user";
    static final String DB_PASSWORD = "tributary.db.password";
    static final String MAINTENANCE_INTERVAL_MS = "tributary.maintenance.interval.ms";

    private BrokerSettings() {
    }

    static BrokerConfig from(Config config) {
        return new BrokerConfig(
                Path.of(config.getOptionalValue(DATA_DIR, String.class).orElse("data")),
                config.getOptionalValue(DB_URL, String.class),
                config.getOptionalValue(DB_USER, String.class),
                config.getOptionalValue(DB_PASSWORD, String.class),
                config.getOptionalValue(MAINTENANCE_INTERVAL_MS, Long.class)
                        .orElse(BrokerConfig.DEFAULT_MAINTENANCE_INTERVAL_MS));
    }
}
