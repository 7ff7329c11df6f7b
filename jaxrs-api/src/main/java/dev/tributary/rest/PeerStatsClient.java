package dev.tributary.rest;

import dev.tributary.rest.dto.BrokerStats;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Asks another broker of the cluster for its {@code GET /api/v1/stats}, at the REST URL it announced, with the
 * caller's own credentials: every broker checks them against the same users (the metadata database), so a caller
 * sees another broker's stats exactly when it could ask that broker itself. No credentials of the broker's own are
 * sent anywhere.
 *
 * <p>A failed fetch completes exceptionally with a {@link PeerStatsException} whose message says, as a sentence an
 * operator reads, what went wrong: no answer, no answer in time, or an error status with the peer's problem detail.
 *
 * <p>Thread-safe: one {@link HttpClient} (and its connection pool) serves every request of the application.
 */
@ApplicationScoped
public class PeerStatsClient {

    /** The path of {@code GET /stats} under a broker's announced REST base URL (the WAR is at the server's root). */
    static final String STATS_PATH = "api/v1/stats";
    /** How long a peer has to connect, and then to answer: the console asks every two seconds. */
    static final Duration TIMEOUT = Duration.ofMillis(1500);

    private HttpClient http;
    private Duration timeout;
    private Jsonb json;

    /** For CDI, which then calls {@link #start()}. */
    PeerStatsClient() {
    }

    /** @param timeout how long to wait for a peer to connect, and then again for its answer */
    PeerStatsClient(Duration timeout) {
        start(timeout);
    }

    @PostConstruct
    void start() {
        start(TIMEOUT);
    }

    private void start(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.json = JsonbBuilder.create();
    }

    /** Lifecycle methods may not throw checked exceptions: the application would not deploy. */
    @PreDestroy
    void stop() {
        try {
            json.close();
        } catch (Exception ignored) {
            // Yasson's close releases caches only; nothing to tell the operator
        }
    }

    /**
     * @param restBase      the peer's announced REST base URL, e.g. {@code http://10.0.0.2:8080/}
     * @param authorization the caller's {@code Authorization} header, passed on as it came; empty without security
     */
    public CompletableFuture<BrokerStats> fetch(URI restBase, Optional<String> authorization) {
        URI uri = restBase.resolve(STATS_PATH);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", "application/json")
                .header("X-Requested-With", "tributary-broker"); // a 401 without a Basic challenge
        authorization.ifPresent(value -> request.header("Authorization", value));
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw new PeerStatsException(noAnswer(uri, unwrap(failure)));
                    }
                    if (response.statusCode() != 200) {
                        throw new PeerStatsException(uri + " answered " + response.statusCode()
                                + problemDetail(response.body()).map(detail -> ": " + detail).orElse(""));
                    }
                    try {
                        return json.fromJson(response.body(), BrokerStats.class);
                    } catch (RuntimeException unreadable) {
                        throw new PeerStatsException(uri + " answered something other than broker stats: "
                                + unreadable.getMessage());
                    }
                });
    }

    private String noAnswer(URI uri, Throwable failure) {
        if (failure instanceof HttpConnectTimeoutException) {
            return "no connection to " + uri + " within " + timeout.toMillis() + " ms";
        }
        if (failure instanceof HttpTimeoutException) {
            return "no answer from " + uri + " within " + timeout.toMillis() + " ms";
        }
        String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return "no answer from " + uri + " (" + reason + ")";
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** The {@code detail} of a problem+json body, if it is one. */
    private static Optional<String> problemDetail(String body) {
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            JsonObject problem = reader.readObject();
            return Optional.ofNullable(problem.getString("detail", problem.getString("title", null)));
        } catch (RuntimeException notJson) {
            return Optional.empty();
        }
    }

    /** A peer's stats could not be had; the message says why. */
    static final class PeerStatsException extends RuntimeException {
        PeerStatsException(String message) {
            super(message, null, false, false);
        }
    }
}
