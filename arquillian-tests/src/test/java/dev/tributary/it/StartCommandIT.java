package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/tributary start} as a user runs it: a start that works keeps its listeners closed until the broker's
 * application is deployed, answers 503 until the broker serves and says when it does; a start that fails exits
 * non-zero with the reason on one line and leaves no process behind; every way of setting a key reaches the broker.
 */
class StartCommandIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    /** Failures the script finds itself (a flag, a port, the data directory): no server is started. */
    private static final Duration AT_ONCE = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** What one request during the start got: "refused", or the status with the headers and body that matter. */
    private record Answer(String path, int status, String contentType, String retryAfter, String body) {

        static Answer refused(String path) {
            return new Answer(path, 0, "", null, "");
        }

        JsonObject json() {
            try (var reader = Json.createReader(new StringReader(body))) {
                return reader.readObject();
            }
        }
    }

    @Test
    void servesOnceReadyAnswering503UntilThenAndRefusesASecondStartOnItsDirectoryOrPorts() throws IOException {
        Path work = ItEnvironment.workDir("start");
        Path dataDir = work.resolve("data");
        int httpPort = ItEnvironment.freePort();
        int kafkaPort = ItEnvironment.freePort();
        URI server = URI.create("http://127.0.0.1:" + httpPort + "/");
        try (StartCommand broker = StartCommand.run(work.resolve("broker.log"), List.of("--data-dir",
                dataDir.toString(), "--http-port", Integer.toString(httpPort), "--kafka-port",
                Integer.toString(kafkaPort)))) {
            List<Answer> answers = new ArrayList<>();
            boolean ready = MicroBroker.poll(START_TIMEOUT, () -> {
                answers.add(get(server, "api/v1/topics"));
                answers.add(get(server, "health/ready"));
                return !broker.isRunning()
                        || broker.ownLines().stream().anyMatch(line -> line.startsWith("tributary: ready in "));
            });
            assertTrue(ready, () -> "not ready: " + broker.lines());
            broker.awaitReady(Duration.ZERO);
            for (Answer answer : answers) {
                if (answer.status() == 0 || answer.status() == 401 || answer.status() == 200) {
                    continue; // listeners still closed, or serving already
                }
                assertEquals(503, answer.status(), answer::toString);
                assertTrue(answer.contentType().startsWith(answer.path().startsWith("api")
                        ? "application/problem+json" : "application/json"), answer::toString);
                if (answer.path().startsWith("api")) {
                    assertEquals("1", answer.retryAfter(), answer::toString);
                    assertEquals("BROKER_NOT_AVAILABLE", answer.json().getString("errorCode"), answer::toString);
                } else {
                    JsonObject check = answer.json().getJsonArray("checks").getJsonObject(0);
                    assertEquals("tributary-broker", check.getString("name"), answer::toString);
                    assertFalse(check.getJsonObject("data").getString("state").isEmpty(), answer::toString);
                }
            }
            RestClient admin = new RestClient(server.resolve("api/v1/")).as("admin",
                    Files.readString(dataDir.resolve("admin-password")).strip());
            assertEquals(200, admin.get("topics").status());

            assertFailsAtOnce(work.resolve("same-dir.log"), "data directory " + dataDir + " is in use",
                    List.of("--data-dir", dataDir.toString(), "--http-port", free(), "--kafka-port", free()));
            assertFailsAtOnce(work.resolve("kafka-port.log"), "Kafka port 127.0.0.1:" + kafkaPort + " is in use",
                    List.of("--data-dir", work.resolve("other").toString(), "--http-port", free(), "--kafka-port",
                            Integer.toString(kafkaPort)));
            assertFailsAtOnce(work.resolve("http-port.log"), "HTTP port 127.0.0.1:" + httpPort + " is in use",
                    List.of("--data-dir", work.resolve("other").toString(), "--http-port",
                            Integer.toString(httpPort), "--kafka-port", free()));
            assertEquals(200, admin.get("topics").status(), "the running broker is untouched");

            assertEquals(0, broker.stop());
            assertTrue(broker.children().isEmpty(), "Payara Micro stopped with the script");
            assertOnlyWhatAnOperatorReads(broker.lines());
        }
    }

    /** The lines Payara logged at every start only to be ignored are gone at their source. */
    private static void assertOnlyWhatAnOperatorReads(List<String> log) {
        String text = String.join("\n", log);
        assertFalse(text.contains("has expired"), "expired certificates of the trust store: " + text);
        assertFalse(text.contains("registered the JDBC driver"), "a JDBC driver unregister warning: " + text);
        assertFalse(text.contains("temporary file location"), "a temporary runtime directory: " + text);
        assertFalse(text.contains("\tat "), "a stack trace: " + text);
        assertTrue(log.size() < 60, () -> log.size() + " lines: " + text);
    }

    @Test
    void refusesABadFlagAtOnceWithTheReasonOnOneLine() {
        Path work = ItEnvironment.workDir("bad-flags");
        assertFailsAtOnce(work.resolve("unknown.log"), "unknown option: --kafka-prot", List.of("--kafka-prot", "1"));
        assertFailsAtOnce(work.resolve("port.log"), "must be a port number, not 'ninety'",
                List.of("--kafka-port", "ninety"));
        assertFailsAtOnce(work.resolve("key.log"), "'kafka.port' is not a tributary.* setting",
                List.of("--set", "kafka.port=9092"));
    }

    @Test
    void aStartWhoseDatabaseIsUnreachableExitsWithTheReason() {
        Path work = ItEnvironment.workDir("no-database");
        String database = "127.0.0.1:" + ItEnvironment.freePort();
        try (StartCommand broker = StartCommand.run(work.resolve("broker.log"), List.of("--data-dir",
                work.resolve("data").toString(), "--http-port", free(), "--kafka-port", free(), "--db-url",
                "jdbc:postgresql://" + database + "/tributary", "--db-user", "tributary"))) {
            assertEquals(1, broker.awaitExit(START_TIMEOUT));
            String last = lastLine(broker);
            assertTrue(last.startsWith("tributary: start failed: ") && last.contains(database), last);
            assertTrue(broker.children().isEmpty(), "Payara Micro stopped");
        }
    }

    @Test
    void aSettingThatDoesNotConvertExitsWithTheReason() {
        Path work = ItEnvironment.workDir("bad-setting");
        try (StartCommand broker = StartCommand.run(work.resolve("broker.log"), List.of("--data-dir",
                work.resolve("data").toString(), "--http-port", free(), "--kafka-port", free(), "--set",
                "tributary.kafka.max.connections=lots"))) {
            assertEquals(1, broker.awaitExit(START_TIMEOUT));
            assertEquals("tributary: start failed: Invalid setting tributary.kafka.max.connections=lots: not an"
                    + " Integer", lastLine(broker));
            assertTrue(broker.children().isEmpty(), "Payara Micro stopped");
        }
    }

    /**
     * One key each way (--config, the environment, --set, -D), and the order between them where two set one key: the
     * command line over the environment over the file.
     */
    @Test
    void everyWayOfSettingAKeyReachesTheBroker() throws IOException {
        Path work = ItEnvironment.workDir("settings");
        int httpPort = ItEnvironment.freePort();
        int kafkaPort = ItEnvironment.freePort();
        Path config = Files.writeString(work.resolve("broker.properties"), String.join("\n",
                "# a broker's settings",
                "tributary.kafka.port = " + kafkaPort,
                "tributary.kafka.advertised.port=1111",
                "tributary.http.url=http://file.example:1/",
                ""));
        Map<String, String> environment = Map.of("TRIBUTARY_ADMIN_PASSWORD", "from-the-environment",
                "TRIBUTARY_HTTP_URL", "http://environment.example:1/");
        try (StartCommand broker = StartCommand.run(work.resolve("broker.log"), environment, List.of(
                "--data-dir", work.resolve("data").toString(), "--http-port", Integer.toString(httpPort),
                "--config", config.toString(), "--set", "tributary.kafka.advertised.port=2222",
                "-Dtributary.kafka.advertised.host=dflag.example"))) {
            assertTrue(broker.awaitReady(START_TIMEOUT).endsWith("kafka://127.0.0.1:" + kafkaPort));
            RestClient admin = new RestClient(URI.create("http://127.0.0.1:" + httpPort + "/api/v1/"))
                    .as("admin", "from-the-environment");
            RestClient.Reply cluster = admin.get("cluster");
            assertEquals(200, cluster.status(), cluster::toString);
            JsonObject self = cluster.json().getJsonArray("brokers").getJsonObject(0);
            assertEquals("dflag.example:2222", self.getString("kafkaAddress"), cluster::toString);
            assertEquals("http://environment.example:1/", self.getString("httpUrl"), cluster::toString);
            try (Socket kafka = new Socket(InetAddress.getLoopbackAddress(), kafkaPort)) {
                assertTrue(kafka.isConnected(), "the Kafka listener is on the port of the --config file");
            }
            assertEquals(0, broker.stop());
        }
    }

    private static void assertFailsAtOnce(Path output, String reason, List<String> args) {
        long started = System.nanoTime();
        try (StartCommand command = StartCommand.run(output, args)) {
            assertEquals(1, command.awaitExit(AT_ONCE));
            String last = lastLine(command);
            assertTrue(last.startsWith("tributary: ") && last.contains(reason), () -> command.lines().toString());
            assertEquals(1, command.lines().stream().filter(line -> line.contains(reason)).count(),
                    () -> "the reason once, on one line: " + command.lines());
            assertTrue(command.children().isEmpty());
        }
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(AT_ONCE) < 0);
    }

    private static String lastLine(StartCommand command) {
        List<String> lines = command.lines();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private Answer get(URI server, String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.resolve(path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(path, response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Retry-After").orElse(null), response.body());
        } catch (IOException refused) {
            return Answer.refused(path);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String free() {
        return Integer.toString(ItEnvironment.freePort());
    }
}
