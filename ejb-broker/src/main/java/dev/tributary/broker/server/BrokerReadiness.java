package dev.tributary.broker.server;

import dev.tributary.broker.log.LogManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether the broker is alive and whether it should get traffic, with the reasons, for health checks.
 *
 * <p>Ready means: started (every partition log opened, and recovered where it was not closed cleanly), its log
 * directory writable, and no partition offline. While logs are being opened or recovered the broker is alive but
 * not ready, and the report names the partitions being recovered. A broker whose start failed, or that stopped, is
 * neither; a failed start stays reported as failed, with its reason, also once what it had opened is closed.
 *
 * <p>{@link Broker#start} feeds it as it goes; create one before the start so that its state can be read while the
 * start runs. A container boundary that starts listeners after {@link Broker#start} creates it with
 * {@link #untilListening()}: the broker then counts as started only once the boundary calls {@link #listening()}.
 * Thread-safe: read from any thread at any time.
 */
public final class BrokerReadiness implements BrokerAvailability {

    /** A health report: the verdict and what explains it (keys and values for a health check's data). */
    public record Report(boolean up, Map<String, String> data) {
        public Report {
            data = Map.copyOf(data);
        }
    }

    private enum Phase { STARTING, RECOVERING, STARTING_LISTENERS, RUNNING, FAILED, STOPPED }

    private final boolean awaitsListeners;
    private volatile Phase phase = Phase.STARTING;
    private volatile LogManager logs;
    private volatile String failure;

    /** Started as soon as {@link Broker#start} returns. */
    public BrokerReadiness() {
        this(false);
    }

    private BrokerReadiness(boolean awaitsListeners) {
        this.awaitsListeners = awaitsListeners;
    }

    /** Started only once {@link #listening()} is called after {@link Broker#start} returned. */
    public static BrokerReadiness untilListening() {
        return new BrokerReadiness(true);
    }

    /** The data directory is locked; its logs are about to be opened and recovered. */
    synchronized void recovering(LogManager manager) {
        this.logs = manager;
        this.phase = Phase.RECOVERING;
    }

    synchronized void started() {
        phase = awaitsListeners ? Phase.STARTING_LISTENERS : Phase.RUNNING;
    }

    /** The boundary's listeners are up: the broker serves (see {@link #untilListening()}). */
    public synchronized void listening() {
        if (phase == Phase.STARTING_LISTENERS)
            phase = Phase.RUNNING;
    }

    void failed(Throwable cause) {
        failed(String.valueOf(cause));
    }

    /**
     * The start failed for {@code reason}, one line an operator can act on (a later call, from a caller that knows
     * more of the context, replaces it). Final: the broker stays failed, also once it is closed.
     */
    public synchronized void failed(String reason) {
        failure = reason;
        phase = Phase.FAILED;
    }

    synchronized void stopped() {
        if (phase != Phase.FAILED)
            phase = Phase.STOPPED;
    }

    /** Whether the broker has started and not stopped: requests may be served (some partitions may be offline). */
    @Override
    public boolean serving() {
        return phase == Phase.RUNNING;
    }

    /** Where the broker is, as health reports name it: "starting", "running", "failed to start", ... */
    @Override
    public String state() {
        return stateName(phase);
    }

    /** Why the start failed, if it did. */
    @Override
    public Optional<String> failure() {
        return phase == Phase.FAILED ? Optional.ofNullable(failure) : Optional.empty();
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
        if (manager != null && (now == Phase.RECOVERING || now == Phase.STARTING_LISTENERS
                || now == Phase.RUNNING)) {
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
            case STARTING_LISTENERS -> "starting listeners";
            case RUNNING -> "running";
            case FAILED -> "failed to start";
            case STOPPED -> "stopped";
        };
    }
}
