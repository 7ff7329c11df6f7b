package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.broker.security.AclConfig;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.testing.DebianPackages;
import dev.tributary.broker.topic.NewTopic;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Debian's Python Kafka clients, which nobody on this project wrote: {@code python3-confluent-kafka} (librdkafka,
 * SaslHandshake v1 with SaslAuthenticate) and {@code python3-kafka} (kafka-python, SaslHandshake v0 with raw
 * tokens) produce and consume over SASL_PLAINTEXT with SCRAM-SHA-512 and PLAIN, on a broker as secure as the
 * default (ACLs on) with a user that has the producer and consumer roles. The packages are installed with apt-get
 * when missing.
 */
class PythonClientsTest {

    private static final String USER = "py-user";
    private static final String PASSWORD = "py-secret-1";
    /** Debian's interpreter, which sees Debian's packages (a python3 earlier on the PATH, e.g. pyenv's, may not). */
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    static Path dataDir;

    private static RunningKafkaBroker kafka;

    @BeforeAll
    static void start() {
        DebianPackages.ensure(() -> imports("confluent_kafka") && imports("kafka"), "python3-confluent-kafka",
                "python3-kafka");
        kafka = new RunningKafkaBroker(BrokerConfig.embedded(dataDir).withAcls(new AclConfig(true,
                Set.of("User:admin"))), KafkaListenerConfig.of("127.0.0.1", 0)
                .withSaslMechanisms(List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")));
        kafka.broker.users().save(USER, PASSWORD, Set.of("tributary-producer", "tributary-consumer"));
    }

    @AfterAll
    static void stop() {
        if (kafka != null)
            kafka.close();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({"confluent_roundtrip.py, SCRAM-SHA-512, librdkafka", "confluent_roundtrip.py, PLAIN, librdkafka",
            "kafka_python_roundtrip.py, SCRAM-SHA-512, kafka-python", "kafka_python_roundtrip.py, PLAIN, kafka-python"})
    void producesAndConsumesOverSasl(String script, String mechanism, String prefix) throws Exception {
        String topic = (prefix + "-" + mechanism).toLowerCase();
        kafka.broker.topicAdministration().create(new NewTopic(topic, 1, (short) 1, Map.of()));
        String out = python(script, kafka.bootstrap(), mechanism, USER, PASSWORD, topic);
        assertEquals(IntStream.range(0, 5).mapToObj(i -> prefix + "-" + mechanism + "-" + i).toList(),
                out.lines().filter(line -> line.startsWith(prefix)).toList(), out);
    }

    private static String python(String script, String... args) throws IOException, InterruptedException {
        Path file = dataDir.resolve(script);
        try (InputStream in = PythonClientsTest.class.getResourceAsStream("/python/" + script)) {
            Files.write(file, in.readAllBytes());
        }
        List<String> command = new ArrayList<>(List.of(PYTHON, file.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(script + " did not finish in 120 s: " + new String(output));
        }
        String text = new String(output);
        assertEquals(0, process.exitValue(), () -> script + " failed:\n" + text);
        return text;
    }

    private static boolean imports(String module) {
        try {
            Process process = new ProcessBuilder(PYTHON, "-c", "import " + module).redirectErrorStream(true)
                    .start();
            process.getInputStream().readAllBytes();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
