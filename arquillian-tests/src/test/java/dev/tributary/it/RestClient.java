package dev.tributary.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A small JSON client for the REST API under test. */
final class RestClient {

    private final URI apiBase;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** As the administrator the test brokers are started with. @param apiBase {@code /api/v1/}, trailing slash */
    RestClient(URI apiBase) {
        this(apiBase, ItEnvironment.ADMIN, ItEnvironment.ADMIN_PASSWORD);
    }

    private RestClient(URI apiBase, String user, String password) {
        this.apiBase = apiBase;
        this.authorization = user == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The same API as another user. */
    RestClient as(String user, String password) {
        return new RestClient(apiBase, user, password);
    }

    /** The same API as the same user over connections of its own (none shared with earlier requests). */
    RestClient onNewConnections() {
        return new RestClient(apiBase, authorization);
    }

    private RestClient(URI apiBase, String authorization) {
        this.apiBase = apiBase;
        this.authorization = authorization;
    }

    /** The same API without credentials. */
    RestClient anonymous() {
        return new RestClient(apiBase, null, null);
    }

    Reply get(String path) {
        return send(request(path).GET());
    }

    Reply post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A POST without a body (and so without a content type). */
    Reply post(String path) {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    Reply patch(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    Reply delete(String path) {
        return send(request(path).DELETE());
    }

    Reply put(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(apiBase.resolve(path)).timeout(Duration.ofSeconds(30));
        return authorization == null ? request : request.header("Authorization", authorization);
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Location").orElse(null),
                    response.headers().firstValue("WWW-Authenticate").orElse(null), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Reply(int status, String contentType, String location, String challenge, String body) {

        JsonObject json() {
            return (JsonObject) structure();
        }

        JsonStructure structure() {
            try (var reader = Json.createReader(new StringReader(body))) {
                return reader.read();
            }
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + body;
        }
    }
}
