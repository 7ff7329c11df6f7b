package dev.tributary.broker.server;

import dev.tributary.broker.log.LogManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether the broker is alive and whether it should get traffic, with the reasons, for health checks.
 *
 * <p>Ready means: started (every partition log opened, and recovered where it was not closed cleanly), its log
 * directory writable, and no partition offline. While logs are being opened or recovered the broker is alive but
 * not ready, and the report names the partitions being recovered. A broker whose start failed, or that stopped, is
 * neither.
 *
 * <p>{@link Broker#start} feeds it as it goes; create one before the start so that its state can be read while the
 * start runs. Thread-safe: read from any thread at any time.
 */
public final class BrokerReadiness {

    /** A health report: the verdict and what explains it (keys and values for a health check's data). */
    public record Report(boolean up, Map<String, String> data) {
        public Report {
            data = Map.copyOf(data);
        }
    }

    private enum Phase { STARTING, RECOVERING, RUNNING, FAILED, STOPPED }

    private volatile Phase phase = Phase.STARTING;
    private volatile LogManager logs;
    private volatile String failure;

    /** The data directory is locked; its logs are about to be opened and recovered. */
    void recovering(LogManager manager) {
        this.logs = manager;
        this.phase = Phase.RECOVERING;
    }

    void started() {
        phase = Phase.RUNNING;
    }

    void failed(Throwable cause) {
        failure = String.valueOf(cause);
        phase = Phase.FAILED;
    }

    void stopped() {
        phase = Phase.STOPPED;
    }

    /** Alive unless the start failed or the broker stopped: a broker recovering its logs is busy, not dead. */
    public Report liveness() {
        Map<String, String> data = new LinkedHashMap<>();
        Phase now = phase;
        data.put("state", stateName(now));
        if (now == Phase.FAILED)
            data.put("failure", failure);
        return new Report(now != Phase.FAILED && now != Phase.STOPPED, data);
    }

    public Report readiness() {
        Map<String, String> data = new LinkedHashMap<>();
        Phase now = phase;
        LogManager manager = logs;
        data.put("state", stateName(now));
        boolean up = now == Phase.RUNNING;
        if (now == Phase.FAILED)
            data.put("failure", failure);
        if (manager != null && (now == Phase.RECOVERING || now == Phase.RUNNING)) {
            Collection<TopicPartition> opening = manager.partitionsOpening();
            if (!opening.isEmpty()) {
                data.put("recoveringPartitions", names(opening));
                up = false;
            }
            Path dir = manager.dataDir();
            if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
                data.put("dataDirNotWritable", dir.toString());
                up = false;
            }
            Map<TopicPartition, String> offline = manager.offlinePartitions();
            if (!offline.isEmpty()) {
                data.put("offlinePartitions", offline.entrySet().stream()
                        .collect(Collectors.toMap(e -> e.getKey().toString(), Map.Entry::getValue,
                                (a, b) -> a, TreeMap::new))
                        .entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                        .collect(Collectors.joining("; ")));
                up = false;
            }
        }
        return new Report(up, data);
    }

    private static String names(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::toString).sorted().collect(Collectors.joining(", "));
    }

    private static String stateName(Phase phase) {
        return switch (phase) {
            case STARTING -> "starting";
            case RECOVERING -> "recovering partition logs";
            case RUNNING -> "running";
            case FAILED -> "failed to start";
            case STOPPED -> "stopped";
        };
    }
}
