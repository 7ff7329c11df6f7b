package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
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

/**
 * Stock Kafka clients against the broker WAR in Payara Micro: the listener is started by the deployed broker,
 * on the port the build reserved, and what a Kafka producer writes is what REST reads.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class KafkaClientsIT {

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

    private static String bootstrap() {
        return "127.0.0.1:" + ItEnvironment.arquillianKafkaPort();
    }

    @Test
    void kafkaProducerAndConsumerRoundTripThroughTheDeployedBroker() throws Exception {
        try (Admin admin = Admin.create(ItEnvironment.withKafkaLogin(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap())))) {
            admin.createTopics(List.of(new NewTopic("kafka-orders", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }

        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            for (int i = 0; i < 50; i++) {
                sent.add(producer.send(new ProducerRecord<>("kafka-orders", "key-" + i, "value-" + i)).get());
            }
        }

        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig())) {
            List<TopicPartition> partitions = List.of(new TopicPartition("kafka-orders", 0),
                    new TopicPartition("kafka-orders", 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received.size() < sent.size() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
            }
        }
        assertEquals(sent.size(), received.size());

        // The same records through REST: one broker, two protocols.
        RestClient rest = new RestClient(URI.create("http://127.0.0.1:" + base.getPort() + "/api/v1/"));
        int fromRest = 0;
        for (int p = 0; p < 2; p++) {
            JsonArray records = rest.get("topics/kafka-orders/partitions/" + p + "/records?limit=100").json()
                    .getJsonArray("records");
            fromRest += records.size();
            for (int i = 0; i < records.size(); i++) {
                String key = records.getJsonObject(i).getString("key");
                assertEquals("value-" + key.substring("key-".length()), records.getJsonObject(i).getString("value"));
            }
        }
        assertEquals(sent.size(), fromRest);

        verifyGroupAdministration(rest, sent.size());
    }

    /**
     * One user, both doors: a user created over REST with only the producer role logs in to the Kafka listener and
     * may produce, but neither read nor delete the topic.
     */
    @Test
    void aProducerCreatedOverRestMayOnlyProduceOverKafka() throws Exception {
        RestClient rest = new RestClient(URI.create("http://127.0.0.1:" + base.getPort() + "/api/v1/"));
        assertEquals(201, rest.post("topics", "{\"name\":\"kafka-audit\",\"partitions\":1}").status());
        RestClient.Reply created = rest.put("users/auditor",
                "{\"password\":\"auditor-secret\",\"roles\":[\"tributary-producer\"]}");
        assertEquals(200, created.status(), created::toString);
        Map<String, Object> auditor = ItEnvironment.kafkaLogin("auditor", "auditor-secret");

        Properties producer = producerConfig();
        producer.putAll(auditor);
        try (KafkaProducer<String, String> writer = new KafkaProducer<>(producer)) {
            assertEquals(0, writer.send(new ProducerRecord<>("kafka-audit", "k", "v")).get(30, TimeUnit.SECONDS)
                    .offset());
        }

        Properties consumer = consumerConfig();
        consumer.putAll(auditor);
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(consumer)) {
            TopicPartition partition = new TopicPartition("kafka-audit", 0);
            reader.assign(List.of(partition));
            reader.seekToBeginning(List.of(partition));
            assertThrows(TopicAuthorizationException.class, () -> {
                for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); System.nanoTime() < deadline; )
                    reader.poll(Duration.ofMillis(500));
            });
        }

        Map<String, Object> admin = new HashMap<>(auditor);
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (Admin client = Admin.create(admin)) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> client.deleteTopics(List.of("kafka-audit")).all().get(30, TimeUnit.SECONDS));
            assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
        }
        assertEquals(200, rest.get("topics/kafka-audit").status(), "the topic is still there");
    }

    /** A Kafka consumer group, seen, reset and deleted through REST. */
    private static void verifyGroupAdministration(RestClient rest, int records) {
        Properties config = consumerConfig();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "rest-view");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        int consumed = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of("kafka-orders"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumed < records && System.nanoTime() < deadline) {
                consumed += consumer.poll(Duration.ofMillis(500)).count();
            }
            consumer.commitSync();
        }
        assertEquals(records, consumed);

        JsonObject group = rest.get("groups/rest-view").json();
        assertEquals("Empty", group.getString("state"));
        JsonArray offsets = group.getJsonArray("offsets");
        assertEquals(2, offsets.size());
        offsets.forEach(o -> assertEquals(0, o.asJsonObject().getInt("lag"), "all consumed: no lag"));

        RestClient.Reply reset = rest.post("groups/rest-view/offsets", "{\"topic\":\"kafka-orders\",\"to\":\"earliest\"}");
        assertEquals(200, reset.status(), reset::toString);
        int lag = rest.get("groups/rest-view").json().getJsonArray("offsets").stream()
                .mapToInt(o -> o.asJsonObject().getInt("lag")).sum();
        assertEquals(records, lag, "reset to earliest: everything is lag again");

        RestScenario.assertProblem(400, "earliest", rest.post("groups/rest-view/offsets",
                "{\"topic\":\"kafka-orders\",\"to\":\"yesterday\"}"));
        assertEquals(204, rest.delete("groups/rest-view").status());
        RestScenario.assertProblem(404, "rest-view", rest.get("groups/rest-view"));
    }

    private static Properties producerConfig() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        config.putAll(ItEnvironment.kafkaLogin());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return config;
    }

    private static Properties consumerConfig() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        config.putAll(ItEnvironment.kafkaLogin());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return config;
    }
}
