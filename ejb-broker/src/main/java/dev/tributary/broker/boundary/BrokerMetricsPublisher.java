package dev.tributary.broker.boundary;

import dev.tributary.broker.cluster.ClusterMetrics;
import dev.tributary.broker.group.PartitionLag;
import dev.tributary.broker.metrics.BrokerMetrics;
import dev.tributary.broker.metrics.CleanerMetrics;
import dev.tributary.broker.metrics.LatencyHistogram;
import dev.tributary.broker.metrics.LogIntegrity;
import dev.tributary.broker.metrics.TopicTraffic;
import dev.tributary.broker.server.Broker;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.protocol.ApiKeys;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Publishes the broker's {@link BrokerMetrics} (and the state it derives: lag, partition counts) as MicroProfile
 * Metrics gauges, which the server serves in Prometheus format at {@code /metrics}. Every gauge reads the core's
 * counters when scraped; nothing here is on a request path.
 *
 * <p>Counters of the core are published as gauges named {@code ..._total} (MicroProfile Metrics cannot wrap an
 * existing counter); their values only grow. Latencies are published as a Prometheus histogram made of gauges:
 * {@code _bucket{le=...}} (cumulative), {@code _sum} and {@code _count}, which {@code histogram_quantile} reads.
 *
 * <p>Topics, groups and APIs come and go, so {@link #refresh()} (run periodically by {@link BrokerLifecycle})
 * registers the gauges of new ones and removes those of topics and groups that are gone. Not thread-safe: one
 * refresh at a time.
 */
final class BrokerMetricsPublisher {

    private final MetricRegistry registry;
    private final Broker broker;
    private final BrokerMetrics metrics;
    /** What this publisher registered, so that it removes only its own gauges. */
    private final Set<MetricID> registered = new HashSet<>();
    private volatile Map<LagKey, Long> lag = Map.of();

    private record LagKey(String group, String topic, int partition) {
    }

    BrokerMetricsPublisher(MetricRegistry registry, Broker broker) {
        this.registry = registry;
        this.broker = broker;
        this.metrics = broker.metrics();
    }

    /** Brings the registered gauges in line with the broker's topics, groups and the APIs used so far. */
    void refresh() {
        Set<MetricID> wanted = new HashSet<>();
        gauge(wanted, "tributary_kafka_connections", "Open Kafka-protocol connections", metrics::openConnections);
        gauge(wanted, "tributary_under_replicated_partitions",
                "Partitions led here with fewer in-sync replicas than replicas",
                () -> broker.hostedReplicas().underReplicatedPartitionCount());
        gauge(wanted, "tributary_offline_partitions",
                "Partitions whose log could not be opened or holds corrupt data, or that have no leader",
                () -> broker.hostedReplicas().offlinePartitionCount());
        ClusterMetrics cluster = broker.clusterMetrics();
        counter(wanted, "tributary_controller_activations_total",
                "Times this broker took the controller lease (a count that keeps rising means churn)", cluster,
                ClusterMetrics::controllerActivations);
        gauge(wanted, "tributary_controller_epoch", "The controller epoch this broker holds the lease at; -1 if not"
                + " controller", cluster::controllerEpoch);
        counter(wanted, "tributary_leadership_writes_total",
                "Partition leadership and ISR changes this broker stored, as controller or leader", cluster,
                ClusterMetrics::leadershipWrites);
        gauge(wanted, "tributary_broker_session_active",
                "1 while this broker's session in the metadata database is current (it may acknowledge acks=all"
                        + " writes), else 0", () -> broker.session().sessionActive() ? 1 : 0);
        histogram(wanted, "tributary_log_flush_time_seconds", "Duration of log fsyncs (one per group commit)",
                metrics.flushTimes());
        cleaner(wanted, metrics.cleaner());
        LogIntegrity integrity = metrics.logIntegrity();
        counter(wanted, "tributary_log_scrub_bytes_total", "Bytes of sealed segments the log scrubber verified",
                integrity, LogIntegrity::scrubbedBytes);
        counter(wanted, "tributary_log_scrub_segments_total", "Sealed segments the log scrubber verified",
                integrity, LogIntegrity::scrubbedSegments);
        counter(wanted, "tributary_log_scrub_passes_total", "Passes of the log scrubber over every sealed segment",
                integrity, LogIntegrity::completedPasses);
        counter(wanted, "tributary_log_corrupt_batches_total",
                "Corrupt batches found in the logs, by the scrubber or by a read that decodes records", integrity,
                LogIntegrity::corruptBatches);
        counter(wanted, "tributary_log_index_rebuilds_total",
                "Segment indexes rebuilt because they disagreed with the data", integrity,
                LogIntegrity::rebuiltIndexes);
        for (String topic : broker.topicMetadata().topicNames()) {
            TopicTraffic traffic = metrics.topic(topic);
            Tag tag = new Tag("topic", topic);
            counter(wanted, "tributary_topic_bytes_in_total", "Bytes appended to the topic", traffic,
                    TopicTraffic::bytesIn, tag);
            counter(wanted, "tributary_topic_records_in_total", "Records appended to the topic", traffic,
                    TopicTraffic::recordsIn, tag);
            counter(wanted, "tributary_topic_bytes_out_total", "Bytes of records served from the topic", traffic,
                    TopicTraffic::bytesOut, tag);
            counter(wanted, "tributary_topic_records_out_total", "Records served from the topic", traffic,
                    TopicTraffic::recordsOut, tag);
        }
        for (ApiKeys api : ApiKeys.values()) {
            LatencyHistogram requests = metrics.requests(api);
            if (requests.count() == 0)
                continue;
            Tag tag = new Tag("api", api.name);
            counter(wanted, "tributary_kafka_requests_total", "Kafka requests answered, per API", requests,
                    LatencyHistogram::count, tag);
            histogram(wanted, "tributary_kafka_request_latency_seconds",
                    "Kafka request latency per API, from dispatch to response", requests, tag);
        }
        Map<LagKey, Long> lagNow = currentLag();
        lag = lagNow;
        for (LagKey key : lagNow.keySet()) {
            gauge(wanted, "tributary_consumer_lag", "Messages between a group's committed offset and the log end",
                    () -> lag.getOrDefault(key, 0L), new Tag("group", key.group()), new Tag("topic", key.topic()),
                    new Tag("partition", Integer.toString(key.partition())));
        }
        for (MetricID stale : Set.copyOf(registered)) {
            if (!wanted.contains(stale)) {
                registry.remove(stale);
                registered.remove(stale);
            }
        }
    }

    /** The log cleaner's (compaction's) gauges. */
    private void cleaner(Set<MetricID> wanted, CleanerMetrics cleaner) {
        counter(wanted, "tributary_log_cleaner_bytes_read_total",
                "Bytes of compacted logs' segments the cleaner read and filtered", cleaner, CleanerMetrics::bytesRead);
        counter(wanted, "tributary_log_cleaner_bytes_written_total",
                "Bytes the cleaner kept and wrote into compacted segments", cleaner, CleanerMetrics::bytesWritten);
        counter(wanted, "tributary_log_cleaner_cleanings_total", "Cleanings of a partition completed", cleaner,
                CleanerMetrics::cleanings);
        gauge(wanted, "tributary_log_cleaner_max_dirty_ratio",
                "Largest share of a compacted log written since its last cleaning (0 to 1)", cleaner::maxDirtyRatio);
        gauge(wanted, "tributary_log_cleaner_lag_seconds",
                "Longest time a compacted partition that needs cleaning has waited for it",
                () -> cleaner.maxLagMs() / 1000.0);
        gauge(wanted, "tributary_log_cleaner_failed_partitions",
                "Partitions whose cleaning failed (they stay online, uncompacted, until the broker restarts)",
                cleaner::failedPartitions);
    }

    /** Removes every gauge this publisher registered. */
    void close() {
        registered.forEach(registry::remove);
        registered.clear();
    }

    private Map<LagKey, Long> currentLag() {
        Map<LagKey, Long> result = new HashMap<>();
        for (Map.Entry<String, List<PartitionLag>> group : broker.groupAdmin().lagOfEveryGroup().entrySet()) {
            for (PartitionLag partition : group.getValue()) {
                if (partition.lag().isPresent())
                    result.put(new LagKey(group.getKey(), partition.partition().topic(),
                            partition.partition().partition()), partition.lag().getAsLong());
            }
        }
        return result;
    }

    private <T> void counter(Set<MetricID> wanted, String name, String help, T source, ToLongFunction<T> value,
                             Tag... tags) {
        gauge(wanted, name, help, () -> value.applyAsLong(source), tags);
    }

    private void histogram(Set<MetricID> wanted, String name, String help, LatencyHistogram histogram,
                           Tag... tags) {
        double[] bounds = histogram.boundsSeconds();
        for (int i = 0; i <= bounds.length; i++) {
            int index = i;
            String le = i == bounds.length ? "+Inf" : BigDecimal.valueOf(bounds[i]).toPlainString();
            gauge(wanted, name + "_bucket", help, () -> histogram.cumulativeCount(index), with(tags, new Tag("le", le)));
        }
        gauge(wanted, name + "_count", help, histogram::count, tags);
        gauge(wanted, name + "_sum", help, histogram::sumSeconds, tags);
    }

    private void gauge(Set<MetricID> wanted, String name, String help, Supplier<Number> value, Tag... tags) {
        MetricID id = new MetricID(name, tags);
        wanted.add(id);
        if (registered.add(id)) {
            Metadata metadata = Metadata.builder().withName(name).withDescription(help).build();
            registry.gauge(metadata, value, tags);
        }
    }

    private static Tag[] with(Tag[] tags, Tag extra) {
        Tag[] all = new Tag[tags.length + 1];
        System.arraycopy(tags, 0, all, 0, tags.length);
        all[tags.length] = extra;
        return all;
    }
}
