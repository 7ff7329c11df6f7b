package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tributary.rest.TributaryApplication;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The server's own endpoints for operators, on the broker WAR in Payara Micro: health, metrics, OpenAPI. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ObservabilityIT {

    @Deployment(testable = false)
    static WebArchive broker() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, ItEnvironment.deployment("tributary.war").toFile());
    }

    @ArquillianResource
    URL base;

    /** The broker starts in the background once the WAR is deployed. */
    @BeforeEach
    void awaitTheBroker() {
        ItEnvironment.awaitServing(URI.create("http://127.0.0.1:" + base.getPort() + "/"));
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private URI server() {
        return URI.create("http://127.0.0.1:" + base.getPort() + "/");
    }

    @Test
    void healthIsLiveAndReadyWithTheBrokersOwnChecks() {
        for (String probe : List.of("health/ready", "health/live")) {
            HttpResponse<String> response = get(probe, "application/json");
            assertEquals(200, response.statusCode(), response::body);
            JsonObject health = json(response.body());
            assertEquals("UP", health.getString("status"));
            JsonObject check = health.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                    .filter(c -> c.getString("name").equals("tributary-broker")).findFirst()
                    .orElseThrow(() -> new AssertionError("no tributary-broker check in " + health));
            assertEquals("UP", check.getString("status"));
            assertEquals("running", check.getJsonObject("data").getString("state"), check::toString);
        }
    }

    @Test
    void metricsCountRecordsProducedOverRestAndKafkaAndTheirRequests() throws Exception {
        RestClient rest = new RestClient(server().resolve("api/v1/"));
        String topic = "obs-metered";
        assertEquals(201, rest.post("topics", "{\"name\":\"" + topic + "\",\"partitions\":1}").status());
        assertEquals(200, rest.post("topics/" + topic + "/records",
                "{\"records\":[{\"value\":\"a\"},{\"value\":\"b\"},{\"value\":\"c\"}]}").status());
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + ItEnvironment.arquillianKafkaPort());
        props.putAll(ItEnvironment.kafkaLogin());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        assertEquals(200, rest.get("topics/" + topic + "/partitions/0/records?offset=6").status());

        String tag = "topic=\"" + topic + "\"";
        awaitMetric("tributary_topic_records_in_total", tag, v -> v == 8);
        awaitMetric("tributary_topic_records_out_total", tag, v -> v == 2);
        awaitMetric("tributary_topic_bytes_in_total", tag, v -> v > 0);
        awaitMetric("tributary_kafka_requests_total", "api=\"Produce\"", v -> v >= 5);
        awaitMetric("tributary_kafka_request_latency_seconds_bucket", "le=\"+Inf\"", v -> v >= 5);
        String text = get("metrics", "text/plain").body();
        for (String always : List.of("tributary_under_replicated_partitions", "tributary_offline_partitions",
                "tributary_kafka_connections", "tributary_log_flush_time_seconds_count",
                "tributary_log_cleaner_bytes_read_total", "tributary_log_cleaner_max_dirty_ratio",
                "tributary_log_cleaner_lag_seconds", "tributary_log_cleaner_failed_partitions",
                "tributary_leadership_writes_total")) {
            assertTrue(value(text, always, "").isPresent(), () -> always + " missing from /metrics:\n" + text);
        }
        assertEquals(0.0, value(text, "tributary_under_replicated_partitions", "").getAsDouble());
        // A broker alone holds the controller lease and a current session.
        awaitMetric("tributary_broker_session_active", "", v -> v == 1);
        awaitMetric("tributary_controller_epoch", "", v -> v >= 1);
        awaitMetric("tributary_controller_activations_total", "", v -> v >= 1);
    }

    @Test
    void openApiDocumentDescribesEveryEndpointWithItsProblemResponses() {
        HttpResponse<String> response = get("openapi?format=JSON", "application/json");
        assertEquals(200, response.statusCode(), response::body);
        JsonObject paths = json(response.body()).getJsonObject("paths");
        assertNotNull(paths, response::body);
        List<String> checked = new ArrayList<>();
        for (Class<?> resource : TributaryApplication.RESOURCES) {
            String classPath = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                String verb = httpMethod(method);
                if (verb == null) {
                    continue;
                }
                Path sub = method.getAnnotation(Path.class);
                String path = "/api/v1" + classPath + (sub == null ? "" : sub.value());
                JsonObject item = paths.entrySet().stream().filter(e -> e.getKey().endsWith(path))
                        .map(e -> e.getValue().asJsonObject()).findFirst()
                        .orElseThrow(() -> new AssertionError(path + " is not in the OpenAPI paths " + paths.keySet()));
                JsonObject operation = item.getJsonObject(verb.toLowerCase());
                assertNotNull(operation, () -> verb + " " + path + " is not documented: " + item);
                assertTrue(operation.containsKey("summary"), () -> verb + " " + path + " has no summary");
                JsonObject responses = operation.getJsonObject("responses");
                List<String> errors = responses.keySet().stream().filter(code -> code.matches("[45]\\d\\d")).toList();
                if (!path.endsWith("/topics") && !path.endsWith("/groups") || !verb.equals("GET")) {
                    assertFalse(errors.isEmpty(), () -> verb + " " + path + " documents no error response: " + responses);
                }
                assertTrue(errors.containsAll(List.of("401", "403")), () -> verb + " " + path
                        + " does not document the security answers: " + responses.keySet());
                for (String code : errors) {
                    JsonObject content = responses.getJsonObject(code).getJsonObject("content");
                    assertNotNull(content, () -> verb + " " + path + " " + code + " has no content");
                    assertTrue(content.containsKey("application/problem+json"),
                            () -> verb + " " + path + " " + code + " is not problem+json: " + content);
                }
                checked.add(verb + " " + path);
            }
        }
        assertEquals(24, checked.size(), checked::toString);
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    /** Polls {@code /metrics} (the gauges of a new topic appear with the next refresh) until the value matches. */
    private void awaitMetric(String name, String tag, DoublePredicate expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String text = "";
        while (System.nanoTime() < deadline) {
            text = get("metrics", "text/plain").body();
            OptionalDouble value = value(text, name, tag);
            if (value.isPresent() && expected.test(value.getAsDouble())) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        String last = text;
        fail(() -> name + "{" + tag + "} never matched; /metrics said:\n" + grep(last, "tributary_"));
    }

    /** The value of the first sample of {@code name} whose labels contain {@code tag}. */
    private static OptionalDouble value(String prometheusText, String name, String tag) {
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                String labels = line.startsWith(name + "{") ? line.substring(name.length(), line.indexOf('}') + 1) : "";
                if (labels.contains(tag)) {
                    return OptionalDouble.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
                }
            }
        }
        return OptionalDouble.empty();
    }

    private static String grep(String text, String prefix) {
        StringBuilder lines = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                lines.append(line).append('\n');
            }
        }
        return lines.toString();
    }

    private HttpResponse<String> get(String path, String accept) {
        try {
            return http.send(HttpRequest.newBuilder(server().resolve(path)).header("Accept", accept)
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject json(String body) {
        try (var reader = Json.createReader(new StringReader(body))) {
            return reader.readObject();
        }
    }
}
