package dev.tributary.broker.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tributary.broker.log.CleanerConfig;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;
import org.junit.jupiter.api.Test;

/** The broker's MicroProfile Config keys reach its configuration, as a server's config sources would give them. */
class BrokerSettingsTest {

    @Test
    void theLogCleanerSettingsAreKafkasUnderTributaryNames() {
        CleanerConfig cleaner = BrokerSettings.from(config(Map.of("tributary.log.cleaner.threads", "2",
                "tributary.log.cleaner.dedupe.buffer.size", "67108864",
                "tributary.log.cleaner.io.max.bytes.per.second", "1048576.5",
                "tributary.log.cleaner.backoff.ms", "500"))).cleaner();
        assertEquals(new CleanerConfig(2, 67108864, 1048576.5, 500), cleaner);
        assertEquals(CleanerConfig.defaults(), BrokerSettings.from(config(Map.of())).cleaner(), "Kafka's defaults");
    }

    @Test
    void anOutOfRangeCleanerSettingStopsTheStartWithKafkasMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrokerSettings.from(config(Map.of("tributary.log.cleaner.threads", "4",
                        "tributary.log.cleaner.dedupe.buffer.size", "4194304"))));
        assertEquals("Invalid value 4194304 for configuration log.cleaner.dedupe.buffer.size: must be at least 1MB"
                + " per cleaner thread (4 threads)", e.getMessage());
    }

    /** A {@link Config} over fixed values, converting as MicroProfile's built-in converters do. */
    private static Config config(Map<String, String> values) {
        Map<Class<?>, Function<String, ?>> converters = Map.of(String.class, s -> s, Integer.class, Integer::valueOf,
                Long.class, Long::valueOf, Double.class, Double::valueOf, Boolean.class, Boolean::valueOf);
        return new Config() {
            @Override
            public <T> Optional<T> getOptionalValue(String name, Class<T> type) {
                return Optional.ofNullable(values.get(name)).map(v -> type.cast(converters.get(type).apply(v)));
            }

            @Override
            public <T> T getValue(String name, Class<T> type) {
                return getOptionalValue(name, type).orElseThrow();
            }

            @Override
            public ConfigValue getConfigValue(String name) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Iterable<String> getPropertyNames() {
                return values.keySet();
            }

            @Override
            public Iterable<ConfigSource> getConfigSources() {
                throw new UnsupportedOperationException();
            }

            @Override
            public <T> Optional<Converter<T>> getConverter(Class<T> type) {
                return Optional.empty();
            }

            @Override
            public <T> T unwrap(Class<T> type) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
