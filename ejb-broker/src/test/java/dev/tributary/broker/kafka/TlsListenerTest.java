package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.kafka.security.TlsSettings;
import dev.tributary.broker.topic.NewTopic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka listener with TLS (SSL and SASL_SSL), against stock clients that trust a self-signed certificate. */
class TlsListenerTest {

    private static final String STORE_PASSWORD = "keystore-secret";

    @TempDir
    static Path keys;

    @TempDir
    Path dataDir;

    private static Path keyStore;
    private static String certificate;

    /** A self-signed certificate for 127.0.0.1, made with the JDK's keytool. */
    @BeforeAll
    static void generateKeyStore() throws Exception {
        keyStore = keys.resolve("broker.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                keyStore.toString(), "-storepass", STORE_PASSWORD);
        Path pem = keys.resolve("broker.pem");
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass",
                STORE_PASSWORD, "-file", pem.toString());
        certificate = Files.readString(pem);
    }

    @Test
    void sslClientsProduceAndConsumeThroughTls() throws Exception {
        try (RunningKafkaBroker kafka = new RunningKafkaBroker(dataDir, tlsListener(List.of()))) {
            kafka.broker.topicAdministration().create(new NewTopic("encrypted", 1, (short) 1, Map.of()));
            Properties ssl = trusting("SSL");
            String value = "x".repeat(1024);
            try (KafkaProducer<String, String> producer = kafka.producer(ssl)) {
                for (int i = 0; i < 2000; i++) {
                    producer.send(new ProducerRecord<>("encrypted", "key-" + i, value));
                }
                producer.flush();
            }
            // Larger than one TLS record and than the socket buffers: partial writes and buffered reads.
            List<ConsumerRecord<String, String>> read = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = kafka.consumer(ssl)) {
                TopicPartition partition = new TopicPartition("encrypted", 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (read.size() < 2000 && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(500)).forEach(read::add);
                }
            }
            assertEquals(2000, read.size());
            assertEquals("key-1999", read.get(1999).key());
            assertEquals(value, read.get(1999).value());
        }
    }

    @Test
    void saslSslAuthenticatesInsideTheTlsSession() throws Exception {
        try (RunningKafkaBroker kafka = new RunningKafkaBroker(dataDir, tlsListener(List.of("SCRAM-SHA-512")))) {
            kafka.broker.users().save("alice", "alice-secret-1", Set.of());
            Properties right = trusting("SASL_SSL");
            right.putAll(SaslAuthenticationTest.sasl("SCRAM-SHA-512", "alice", "alice-secret-1"));
            right.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
            try (Admin admin = admin(kafka, right)) {
                assertEquals(Set.of(), admin.listTopics().names().get());
            }
            Properties wrong = trusting("SASL_SSL");
            wrong.putAll(SaslAuthenticationTest.sasl("SCRAM-SHA-512", "alice", "not-her-password"));
            wrong.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
            try (Admin admin = admin(kafka, wrong)) {
                ExecutionException refused = assertThrows(ExecutionException.class,
                        () -> admin.listTopics().names().get());
                assertInstanceOf(SaslAuthenticationException.class, refused.getCause());
            }
        }
    }

    @Test
    void aPlaintextClientGetsNoAnswerAndTheConnectionIsClosed() throws Exception {
        try (RunningKafkaBroker kafka = new RunningKafkaBroker(dataDir, tlsListener(List.of()));
             RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            socket.send(new RequestHeader(ApiKeys.METADATA, (short) 12, "plaintext", 1),
                    MetadataRequest.Builder.allTopics().build((short) 12));
            assertTrue(socket.closedByBrokerAfterItsLastWords());
        }
    }

    @Test
    void aKeyStoreThatCannotBeOpenedFailsTheStartNamingIt() {
        KafkaListenerConfig wrongPassword = KafkaListenerConfig.of("127.0.0.1", 0)
                .withTls(new TlsSettings(keyStore, "PKCS12", "not-the-password"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new RunningKafkaBroker(dataDir, wrongPassword).close());
        assertTrue(refused.getMessage().contains(keyStore.toString()), refused.getMessage());
        assertTrue(!refused.getMessage().contains("not-the-password"));
    }

    private static KafkaListenerConfig tlsListener(List<String> saslMechanisms) {
        return KafkaListenerConfig.of("127.0.0.1", 0).withSaslMechanisms(saslMechanisms)
                .withTls(new TlsSettings(keyStore, "PKCS12", STORE_PASSWORD));
    }

    private static Properties trusting(String protocol) {
        Properties props = new Properties();
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        props.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, certificate);
        return props;
    }

    private static Admin admin(RunningKafkaBroker kafka, Properties overrides) {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.putAll(overrides);
        return Admin.create(props);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), output);
    }
}
