package dev.tributary.broker.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tributary.broker.group.ConsumerGroupConfig;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;
import org.junit.jupiter.api.Test;

/** The consumer group protocol's settings, read under Kafka's names with Tributary's prefix. */
class BrokerSettingsTest {

    @Test
    void consumerGroupSettingsHaveKafkasDefaults() {
        assertEquals(ConsumerGroupConfig.defaults(), BrokerSettings.from(config(Map.of())).groups().consumer());
        assertEquals(new ConsumerGroupConfig(45_000, 5_000, List.of("uniform", "range"), Integer.MAX_VALUE),
                ConsumerGroupConfig.defaults());
    }

    @Test
    void consumerGroupSettingsAreRead() {
        ConsumerGroupConfig consumer = BrokerSettings.from(config(Map.of(
                "tributary.group.consumer.session.timeout.ms", "20000",
                "tributary.group.consumer.heartbeat.interval.ms", "1000",
                "tributary.group.consumer.assignors", "range, uniform",
                "tributary.group.consumer.max.size", "12"))).groups().consumer();
        assertEquals(new ConsumerGroupConfig(20_000, 1_000, List.of("range", "uniform"), 12), consumer);
        assertEquals("range", consumer.defaultAssignor());
    }

    @Test
    void nonsenseIsRefusedNamingTheSetting() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> BrokerSettings.from(
                config(Map.of("tributary.group.consumer.assignors", "sticky"))));
        assertEquals("group.consumer.assignors must name some of [range, uniform], not [sticky]",
                unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BrokerSettings.from(config(Map.of(
                "tributary.group.consumer.heartbeat.interval.ms", "60000"))), "not below the session timeout");
    }

    /** A MicroProfile Config over a map, converting the few types the settings read. */
    private static Config config(Map<String, String> values) {
        return new Config() {
            @Override
            public <T> T getValue(String name, Class<T> type) {
                return getOptionalValue(name, type).orElseThrow(() -> new NoSuchElementException(name));
            }

            @Override
            public ConfigValue getConfigValue(String name) {
                throw new UnsupportedOperationException();
            }

            @Override
            public <T> Optional<T> getOptionalValue(String name, Class<T> type) {
                return Optional.ofNullable(values.get(name)).map(value -> type.cast(
                        type == Integer.class ? Integer.valueOf(value)
                                : type == Long.class ? Long.valueOf(value)
                                : type == Boolean.class ? Boolean.valueOf(value) : value));
            }

            @Override
            public Iterable<String> getPropertyNames() {
                return values.keySet();
            }

            @Override
            public Iterable<ConfigSource> getConfigSources() {
                return List.of();
            }

            @Override
            public <T> Optional<Converter<T>> getConverter(Class<T> forType) {
                return Optional.empty();
            }

            @Override
            public <T> T unwrap(Class<T> type) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
