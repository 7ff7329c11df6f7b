package dev.tributary.broker.metrics;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * All measurements of one broker. The core components get the pieces they feed once, when they are built (a
 * partition log its topic's {@link TopicTraffic} and the {@link #flushTimes()} histogram; the Kafka dispatcher
 * {@link #requests(ApiKeys)}), so the hot paths never look anything up.
 *
 * <p>Thread-safe.
 */
public final class BrokerMetrics {

    private static final IntSupplier NO_CONNECTIONS = () -> 0;

    private final ConcurrentHashMap<String, TopicTraffic> topics = new ConcurrentHashMap<>();
    private final Map<ApiKeys, LatencyHistogram> requests = new EnumMap<>(ApiKeys.class);
    private final LatencyHistogram flushTimes = new LatencyHistogram();
    private final LogIntegrity logIntegrity = new LogIntegrity();
    private volatile IntSupplier openConnections = NO_CONNECTIONS;

    public BrokerMetrics() {
        for (ApiKeys api : ApiKeys.values())
            requests.put(api, new LatencyHistogram());
    }

    /**
     * The traffic counters of {@code topic}, created at first use. They outlive a deletion of the topic, so a
     * topic re-created under the same name keeps counting up (Prometheus counters never go down).
     */
    public TopicTraffic topic(String topic) {
        TopicTraffic traffic = topics.get(topic);
        return traffic != null ? traffic : topics.computeIfAbsent(topic, TopicTraffic::new);
    }

    /** Every topic that has counters. */
    public Collection<TopicTraffic> topics() {
        return Collections.unmodifiableCollection(topics.values());
    }

    /** Kafka requests of {@code api}: how many, and how long each took from dispatch to its response. */
    public LatencyHistogram requests(ApiKeys api) {
        return requests.get(api);
    }

    /** Duration of each log fsync (one per group-commit round, whatever the number of appends it covers). */
    public LatencyHistogram flushTimes() {
        return flushTimes;
    }

    /** The log scrubber's work and the corrupt batches and bad indexes found in the logs. */
    public LogIntegrity logIntegrity() {
        return logIntegrity;
    }

    /** Open connections of the Kafka listener; 0 while no listener runs. */
    public int openConnections() {
        return openConnections.getAsInt();
    }

    /** The Kafka listener registers its connection count here while it runs, and {@code null} when it stops. */
    public void openConnectionsFrom(IntSupplier source) {
        openConnections = source == null ? NO_CONNECTIONS : source;
    }
}
