package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One key store, generated for the test, serves HTTPS and the Kafka listener's TLS on a real Payara Micro, as
 * {@code bin/tributary start --keystore} sets them up.
 */
class TlsIT {

    private static final String PASSWORD = "it-keystore-secret";

    private static MicroBroker broker;
    private static String certificate;

    @BeforeAll
    static void start() throws Exception {
        Path work = ItEnvironment.workDir("tls");
        Path keyStore = work.resolve("broker.p12");
        keytool("-genkeypair", "-alias", "tributary", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                keyStore.toString(), "-storepass", PASSWORD);
        Path pem = work.resolve("broker.pem");
        keytool("-exportcert", "-rfc", "-alias", "tributary", "-keystore", keyStore.toString(), "-storepass",
                PASSWORD, "-file", pem.toString());
        certificate = Files.readString(pem);
        broker = MicroBroker.startWithTls(work.resolve("data"), work.resolve("server.log"), keyStore, PASSWORD,
                "tributary");
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void httpsServesTheApiWithTheGeneratedCertificateAndAClientThatDoesNotTrustItIsRefused() throws Exception {
        HttpRequest topics = HttpRequest.newBuilder(broker.httpsBase().resolve("api/v1/topics"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (ItEnvironment.ADMIN + ":" + ItEnvironment.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30)).build();
        HttpClient trusting = HttpClient.newBuilder().sslContext(trusting()).build();
        assertEquals(200, trusting.send(topics, HttpResponse.BodyHandlers.discarding()).statusCode());

        HttpClient stranger = HttpClient.newHttpClient();
        assertThrows(SSLHandshakeException.class, () -> stranger.send(topics, HttpResponse.BodyHandlers.discarding()));
    }

    @Test
    void aKafkaProducerWritesOverTls() throws Exception {
        RestClient rest = broker.client();
        assertEquals(201, rest.post("topics", "{\"name\":\"over-tls\",\"partitions\":1}").status());
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.kafkaBootstrap());
        config.putAll(ItEnvironment.kafkaLogin());
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL"); // TLS, and the secure default's SASL
        config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        config.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, certificate);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            assertEquals(0, producer.send(new ProducerRecord<>("over-tls", "k", "encrypted")).get().offset());
        }
        assertEquals("encrypted", rest.get("topics/over-tls/partitions/0/records").json().getJsonArray("records")
                .getJsonObject(0).getString("value"));
    }

    private static SSLContext trusting() throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("broker", CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(certificate.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
    }
}
