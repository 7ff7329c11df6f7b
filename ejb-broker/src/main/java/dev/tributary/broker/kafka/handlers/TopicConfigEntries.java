package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.log.LogConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A topic's effective configuration as CreateTopics and DescribeConfigs report it: each entry with whether it is
 * the default or set on the topic. The registry exposes effective values only, so an entry counts as set on the
 * topic when its value differs from the default — an override equal to the default is reported as the default.
 */
final class TopicConfigEntries {

    /** Kafka's {@code DescribeConfigsResponse.ConfigSource} ids. */
    static final byte SOURCE_TOPIC = 1;
    static final byte SOURCE_DEFAULT = 5;

    record Entry(String name, String value, byte source) {
    }

    private TopicConfigEntries() {
    }

    static List<Entry> of(Map<String, String> effective) {
        Map<String, String> defaults = LogConfig.defaults().toMap();
        List<Entry> entries = new ArrayList<>();
        new TreeMap<>(effective).forEach((name, value) -> entries.add(new Entry(name, value,
                value.equals(defaults.get(name)) ? SOURCE_DEFAULT : SOURCE_TOPIC)));
        return entries;
    }
}
