package dev.tributary.broker.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tributary.broker.group.ConsumerGroupConfig;
import dev.tributary.broker.kafka.handlers.AutoTopicCreationConfig;
import dev.tributary.broker.log.CleanerConfig;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.junit.jupiter.api.Test;

class BrokerSettingsTest {

    @Test
    void aValueThatDoesNotConvertIsRefusedWithItsKeyAndValue() {
        Config config = config(Map.of(BrokerSettings.KAFKA_PORT, "90x2"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> BrokerSettings.kafkaListener(config));
        assertEquals("Invalid setting tributary.kafka.port=90x2: not an Integer", refused.getMessage());
    }

    @Test
    void everyBrokerSettingIsReadSo() {
        Config config = config(Map.of(BrokerSettings.SCRUB_BYTES_PER_SECOND, "8MB"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> BrokerSettings.from(config));
        assertEquals("Invalid setting tributary.log.scrub.bytes.per.second=8MB: not a Long", refused.getMessage());
    }

    @Test
    void unsetValuesFallBackToTheDefaults() {
        assertEquals(9092, BrokerSettings.kafkaListener(config(Map.of())).orElseThrow().port());
        assertEquals(Optional.of(1234L), BrokerSettings.value(config(Map.of("k", "1234")), "k", Long.class));
    }

    @Test
    void topicsCreatedOnFirstUseHaveKafkasDefaultsAndTheirSettingsAreRead() {
        assertEquals(AutoTopicCreationConfig.DEFAULTS,
                BrokerSettings.kafkaListener(config(Map.of())).orElseThrow().autoTopicCreation());
        assertEquals(new AutoTopicCreationConfig(false, 6, (short) 3), BrokerSettings.kafkaListener(config(Map.of(
                "tributary.auto.create.topics.enable", "false",
                "tributary.num.partitions", "6",
                "tributary.default.replication.factor", "3"))).orElseThrow().autoTopicCreation());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> BrokerSettings.kafkaListener(config(Map.of("tributary.num.partitions", "0"))));
        assertEquals("num.partitions must be at least 1, was 0", refused.getMessage());
    }

    @Test
    void logRecoveryThreadsDefaultToTheCoresAndAreRead() {
        assertEquals(Runtime.getRuntime().availableProcessors(),
                BrokerSettings.from(config(Map.of())).recoveryThreads());
        assertEquals(3, BrokerSettings.from(config(Map.of("tributary.num.recovery.threads.per.data.dir", "3")))
                .recoveryThreads());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> BrokerSettings.from(
                config(Map.of("tributary.num.recovery.threads.per.data.dir", "0"))));
        assertEquals("tributary.num.recovery.threads.per.data.dir must be at least 1, not 0", refused.getMessage());
    }

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

    /** A Config over {@code values}, converting as MicroProfile Config's built-in converters do. */
    private static Config config(Map<String, String> values) {
        return (Config) Proxy.newProxyInstance(Config.class.getClassLoader(), new Class<?>[] {Config.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getOptionalValue" -> Optional.ofNullable(values.get((String) args[0]))
                            .map(raw -> convert(raw, (Class<?>) args[1]));
                    case "getConfigValue" -> configValue(values.get((String) args[0]));
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Object convert(String raw, Class<?> type) {
        if (type == Integer.class)
            return Integer.valueOf(raw);
        if (type == Long.class)
            return Long.valueOf(raw);
        if (type == Short.class)
            return Short.valueOf(raw);
        if (type == Double.class)
            return Double.valueOf(raw);
        if (type == Boolean.class)
            return Boolean.valueOf(raw);
        return raw;
    }

    private static ConfigValue configValue(String raw) {
        return (ConfigValue) Proxy.newProxyInstance(ConfigValue.class.getClassLoader(),
                new Class<?>[] {ConfigValue.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getValue", "getRawValue" -> raw;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
