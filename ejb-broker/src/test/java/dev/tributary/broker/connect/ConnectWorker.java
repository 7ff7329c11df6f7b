package dev.tributary.broker.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.broker.testing.Conditions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;

/**
 * One Kafka Connect worker in distributed mode, started in this JVM by the runtime's own entry point
 * ({@code ConnectDistributed}, what {@code connect-distributed.sh} runs) with the given worker properties, and
 * driven through its REST API as an operator would.
 *
 * <p>Several workers may run at once (each with its own REST port), as in Kafka's own embedded Connect clusters.
 * The runtime would end the JVM if a worker failed to start and would add a JVM shutdown hook per worker; during
 * {@link #start} both go through Kafka's {@link Exit} instead, so a failed start fails the test and a worker lives
 * exactly until {@link #close}. Starts are serialized for that reason.
 */
final class ConnectWorker implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connect<DistributedHerder> connect;
    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ConnectWorker(Connect<DistributedHerder> connect) {
        this.connect = connect;
        this.url = connect.rest().serverUrl();
    }

    static synchronized ConnectWorker start(Map<String, String> workerProperties) {
        ClassLoader contextLoader = Thread.currentThread().getContextClassLoader();
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("The Connect worker did not start (exit " + status + "): " + message);
        });
        Exit.setShutdownHookAdder((name, hook) -> {
        });
        try {
            return new ConnectWorker(new ConnectDistributed().startConnect(workerProperties));
        } finally {
            Exit.resetExitProcedure();
            Exit.resetShutdownHookAdder();
            // the runtime swaps in its plugin class loader as the starting thread's context loader
            Thread.currentThread().setContextClassLoader(contextLoader);
        }
    }

    /** The worker's id in its group, {@code host:port} of its REST listener, as the status API reports it. */
    String workerId() {
        return url.getHost() + ":" + url.getPort();
    }

    /**
     * Creates or updates a connector ({@code PUT /connectors/{name}/config}), retrying while the worker is not yet
     * part of its group or the group rebalances (409 or 503 from a worker that cannot answer yet).
     */
    void putConnectorConfig(String name, Map<String, String> config) {
        String body = writeJson(config);
        Conditions.await("connector " + name + " configured through " + url, () -> {
            HttpResponse<String> response = send(HttpRequest.newBuilder(url.resolve("/connectors/" + name + "/config"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body)));
            if (response.statusCode() == 409 || response.statusCode() == 503)
                return false;
            if (response.statusCode() != 200 && response.statusCode() != 201)
                throw new AssertionError("PUT config of " + name + ": " + response.statusCode() + " "
                        + response.body());
            return true;
        });
    }

    /** {@code GET path}: the JSON answer if it is 200, empty if the worker cannot answer it (yet). */
    Optional<JsonNode> get(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url.resolve(path)).GET());
        if (response.statusCode() != 200)
            return Optional.empty();
        try {
            return Optional.of(JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException("Not JSON from GET " + path + ": " + response.body(), e);
        }
    }

    /** Whether the connector and all its tasks are RUNNING on this worker's view of the group, each on a worker. */
    boolean running(String connector) {
        return get("/connectors/" + connector + "/status").map(status -> {
            if (!"RUNNING".equals(status.path("connector").path("state").asText()))
                return false;
            JsonNode tasks = status.path("tasks");
            if (tasks.isEmpty())
                return false;
            for (JsonNode task : tasks) {
                if (!"RUNNING".equals(task.path("state").asText()))
                    return false;
            }
            return true;
        }).orElse(false);
    }

    /** The ids of the workers the connector's tasks run on, in task order, as this worker sees them. */
    List<String> taskWorkers(String connector) {
        return get("/connectors/" + connector + "/status").map(status -> {
            List<String> workers = new ArrayList<>();
            status.path("tasks").forEach(task -> workers.add(task.path("worker_id").asText()));
            return workers;
        }).orElse(List.of());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("REST call to the Connect worker at " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during a REST call to " + url, e);
        }
    }

    private static String writeJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the worker as its shutdown hook would: it leaves its group, its tasks commit their offsets and stop. */
    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
