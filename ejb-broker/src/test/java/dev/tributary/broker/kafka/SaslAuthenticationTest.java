package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.topic.NewTopic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A SASL_PLAINTEXT listener against stock clients: PLAIN and SCRAM with the broker's users, nothing without. */
class SaslAuthenticationTest {

    private static final String PASSWORD = "alice-secret-1";

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;

    @BeforeEach
    void start() {
        kafka = new RunningKafkaBroker(dataDir, KafkaListenerConfig.of("127.0.0.1", 0)
                .withSaslMechanisms(List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")));
        kafka.broker.users().save("alice", PASSWORD, Set.of("tributary-producer"));
        kafka.broker.topicAdministration().create(new NewTopic("secured", 1, (short) 1, Map.of()));
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"})
    void aUserWithTheRightPasswordProducesAndConsumes(String mechanism) throws Exception {
        Properties sasl = sasl(mechanism, "alice", PASSWORD);
        try (KafkaProducer<String, String> producer = kafka.producer(sasl)) {
            assertEquals(0, producer.send(new ProducerRecord<>("secured", "k", mechanism)).get().offset());
        }
        try (KafkaConsumer<String, String> consumer = kafka.consumer(sasl)) {
            TopicPartition partition = new TopicPartition("secured", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<String, String>> records = consumer.poll(Duration.ofSeconds(10)).records(partition);
            assertEquals(mechanism, records.get(0).value());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"})
    void aWrongPasswordOrAnUnknownUserIsRefusedAndTheClientSaysSo(String mechanism) {
        for (Properties wrong : List.of(sasl(mechanism, "alice", "not-her-password"),
                sasl(mechanism, "mallory", PASSWORD))) {
            try (Admin admin = admin(wrong)) {
                ExecutionException failed = assertThrows(ExecutionException.class,
                        () -> admin.listTopics().names().get());
                assertInstanceOf(SaslAuthenticationException.class, failed.getCause());
                assertTrue(failed.getCause().getMessage().contains(mechanism));
                assertTrue(!failed.getCause().getMessage().contains("not-her-password"));
            }
        }
    }

    @Test
    void aMechanismTheListenerDoesNotOfferIsRefused() {
        RunningKafkaBroker plainOnly = new RunningKafkaBroker(dataDir.resolve("plain-only"),
                KafkaListenerConfig.of("127.0.0.1", 0).withSaslMechanisms(List.of("PLAIN")));
        try (plainOnly) {
            Properties scram = sasl("SCRAM-SHA-256", "alice", PASSWORD);
            scram.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, plainOnly.bootstrap());
            try (Admin admin = Admin.create(withTimeouts(scram))) {
                ExecutionException failed = assertThrows(ExecutionException.class,
                        () -> admin.listTopics().names().get());
                assertTrue(failed.getCause().getMessage().contains("SCRAM-SHA-256"), failed.getCause().toString());
            }
        }
    }

    @Test
    void aRequestBeforeAuthenticatingClosesTheConnection() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            socket.send(new RequestHeader(ApiKeys.METADATA, (short) 12, "anonymous", 1),
                    MetadataRequest.Builder.allTopics().build((short) 12));
            assertTrue(socket.closedByBroker());
        }
    }

    private Admin admin(Properties overrides) {
        Properties props = withTimeouts(overrides);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        return Admin.create(props);
    }

    private static Properties withTimeouts(Properties overrides) {
        Properties props = new Properties();
        props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.putAll(overrides);
        return props;
    }

    static Properties sasl(String mechanism, String user, String password) {
        Properties props = new Properties();
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        props.put(SaslConfigs.SASL_MECHANISM, mechanism);
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        props.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + user + "\" password=\""
                + password + "\";");
        return props;
    }
}
