package dev.tributary.broker.kafka.handlers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A topic's effective configuration as CreateTopics and DescribeConfigs report it: each entry with whether it is
 * set on the topic or the default. An override counts as set on the topic whatever its value, even one equal to
 * the default, as Kafka reports it ({@code kafka-configs --describe} lists it).
 */
final class TopicConfigEntries {

    /** Kafka's {@code DescribeConfigsResponse.ConfigSource} ids. */
    static final byte SOURCE_TOPIC = 1;
    static final byte SOURCE_DEFAULT = 5;

    record Entry(String name, String value, byte source) {
    }

    private TopicConfigEntries() {
    }

    /**
     * @param effective  every config of the topic with its effective value
     * @param overridden the names of the configs set on the topic
     */
    static List<Entry> of(Map<String, String> effective, Set<String> overridden) {
        List<Entry> entries = new ArrayList<>();
        new TreeMap<>(effective).forEach((name, value) -> entries.add(new Entry(name, value,
                overridden.contains(name) ? SOURCE_TOPIC : SOURCE_DEFAULT)));
        return entries;
    }
}
