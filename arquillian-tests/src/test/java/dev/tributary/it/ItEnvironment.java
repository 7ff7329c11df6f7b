package dev.tributary.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Paths the build hands to the container tests (see the failsafe configuration), and free loopback ports. */
final class ItEnvironment {

    private ItEnvironment() {
    }

    /** The administrator every test broker starts with ({@code tributary.admin.password}). */
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "it-admin-password";
    private static final Duration SERVING_TIMEOUT = Duration.ofSeconds(120);

    /**
     * What a Kafka client needs to log in to a test broker as {@link #ADMIN}: the brokers run the secure default
     * (SASL with SCRAM, ACLs on), as a user's would.
     */
    static Map<String, Object> kafkaLogin() {
        return kafkaLogin(ADMIN, ADMIN_PASSWORD);
    }

    /** What a Kafka client needs to log in as {@code user} with SCRAM-SHA-512. */
    static Map<String, Object> kafkaLogin(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";");
    }

    /** {@code config} with {@link #kafkaLogin()}. */
    static Map<String, Object> withKafkaLogin(Map<String, Object> config) {
        Map<String, Object> all = new HashMap<>(config);
        all.putAll(kafkaLogin());
        return all;
    }

    static Path deployment(String fileName) {
        return existing(Path.of(property("tributary.it.deployments")).resolve(fileName));
    }

    static Path microJar() {
        return existing(Path.of(property("tributary.it.micro.jar")));
    }

    static Path microConfig(String fileName) {
        return existing(Path.of(property("tributary.it.micro.config")).resolve(fileName));
    }

    /** {@code bin/tributary} of the tree under test. */
    static Path launcher() {
        return existing(Path.of(property("tributary.it.launcher")));
    }

    static Path payaraServerHome() {
        return existing(Path.of(property("tributary.it.payara.server")));
    }

    /** The Kafka port of this JVM's Arquillian-managed broker (picked by {@link ArquillianBrokerPort}). */
    static int arquillianKafkaPort() {
        return Integer.parseInt(property(ArquillianBrokerPort.PROPERTY));
    }

    /** A fresh directory under target/it-work for one test's files. */
    static Path workDir(String name) {
        try {
            Path base = Files.createDirectories(Path.of(property("tributary.it.work")));
            return Files.createTempDirectory(base, name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until the broker of the server at {@code serverBase} serves: it starts in the background once its
     * application is deployed, and its API answers 503 until then.
     */
    static void awaitServing(URI serverBase) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(serverBase.resolve("api/v1/topics"))
                .timeout(Duration.ofSeconds(10)).build();
        boolean serving = MicroBroker.poll(SERVING_TIMEOUT, () -> {
            try {
                return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 503;
            } catch (IOException notListening) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        if (!serving) {
            throw new IllegalStateException("The broker at " + serverBase + " did not serve within " + SERVING_TIMEOUT);
        }
    }

    private static String property(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            throw new IllegalStateException(key + " is not set: run the container tests through Maven (mvn verify)");
        }
        return value;
    }

    private static Path existing(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " does not exist: build the project first (mvn verify)");
        }
        return path;
    }
}
