package dev.tributary.broker.kafka;

import static dev.tributary.broker.kafka.KafkaClientsTest.assertCause;
import static dev.tributary.broker.kafka.KafkaClientsTest.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopicCollection;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CreatePartitions from the stock admin client and, for what it never sends, by hand. */
class CreatePartitionsTest {

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;

    @BeforeEach
    void start() throws Exception {
        kafka = new RunningKafkaBroker(dataDir);
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("orders", 2, (short) 1))).all().get();
        }
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    @Test
    void addedPartitionsAreServedToProducersAndConsumers() throws Exception {
        try (Admin admin = kafka.admin()) {
            admin.createPartitions(Map.of("orders", NewPartitions.increaseTo(4))).all().get();
            TopicDescription orders = admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders");
            assertEquals(4, orders.partitions().size());
            assertEquals(0, orders.partitions().get(3).leader().id());

            admin.createPartitions(Map.of("orders", NewPartitions.increaseTo(6)),
                    new CreatePartitionsOptions().validateOnly(true)).all().get();
            assertEquals(4, kafka.broker.topicMetadata().partitionCount("orders"), "validate-only adds nothing");
        }
        TopicPartition added = new TopicPartition("orders", 3);
        try (KafkaProducer<String, String> producer = kafka.producer(new Properties())) {
            assertEquals(0, producer.send(new ProducerRecord<>("orders", 3, "k", "in a new partition")).get().offset());
        }
        try (KafkaConsumer<String, String> consumer = kafka.consumer(new Properties())) {
            consumer.assign(List.of(added));
            consumer.seekToBeginning(List.of(added));
            List<ConsumerRecord<String, String>> records = pollUntil(consumer, 1);
            assertEquals("in a new partition", records.get(0).value());
        }
    }

    @Test
    void shrinkingUnknownTopicsAndForeignAssignmentsAreRefused() throws Exception {
        try (Admin admin = kafka.admin()) {
            assertCause(InvalidPartitionsException.class, () -> admin.createPartitions(
                    Map.of("orders", NewPartitions.increaseTo(2))).all().get());
            assertCause(InvalidPartitionsException.class, () -> admin.createPartitions(
                    Map.of("orders", NewPartitions.increaseTo(1))).all().get());
            assertCause(UnknownTopicOrPartitionException.class, () -> admin.createPartitions(
                    Map.of("missing", NewPartitions.increaseTo(3))).all().get());
            assertCause(InvalidReplicaAssignmentException.class, () -> admin.createPartitions(Map.of("orders",
                    NewPartitions.increaseTo(4, List.of(List.of(0), List.of(1))))).all().get());
            assertCause(InvalidReplicaAssignmentException.class, () -> admin.createPartitions(Map.of("orders",
                    NewPartitions.increaseTo(4, List.of(List.of(0))))).all().get());
            assertEquals(2, kafka.broker.topicMetadata().partitionCount("orders"), "refused requests add nothing");

            admin.createPartitions(Map.of("orders",
                    NewPartitions.increaseTo(4, List.of(List.of(0), List.of(0))))).all().get();
            assertEquals(4, kafka.broker.topicMetadata().partitionCount("orders"));
        }
    }

    @Test
    void everyVersionIsServedAndATopicNamedTwiceIsAnInvalidRequest() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            int count = 2;
            for (short v = ApiKeys.CREATE_PARTITIONS.oldestVersion(); v <= ApiKeys.CREATE_PARTITIONS.latestVersion();
                 v++) {
                count++;
                CreatePartitionsTopicResult result = call(socket, v, topic("orders", count)).get(0);
                assertEquals(Errors.NONE.code(), result.errorCode(), "v" + v + ": " + result.errorMessage());
                assertEquals(count, kafka.broker.topicMetadata().partitionCount("orders"), "v" + v);
            }

            kafka.broker.topicAdministration().create(new dev.tributary.broker.topic.NewTopic("other", 1, (short) 1, Map.of()));
            List<CreatePartitionsTopicResult> results = call(socket, ApiKeys.CREATE_PARTITIONS.latestVersion(),
                    topic("orders", count + 1), topic("other", 2), topic("orders", count + 2));
            assertEquals(2, results.size(), "one answer per topic: " + results);
            CreatePartitionsTopicResult orders = results.stream().filter(r -> r.name().equals("orders")).findFirst()
                    .orElseThrow();
            assertEquals(Errors.INVALID_REQUEST.code(), orders.errorCode());
            assertTrue(orders.errorMessage().contains("more than once"), orders.errorMessage());
            assertEquals(count, kafka.broker.topicMetadata().partitionCount("orders"));
            assertEquals(2, kafka.broker.topicMetadata().partitionCount("other"), "the other topic is served on its own");
        }
    }

    private static CreatePartitionsTopic topic(String name, int count) {
        return new CreatePartitionsTopic().setName(name).setCount(count).setAssignments(null);
    }

    private static List<CreatePartitionsTopicResult> call(RawKafkaSocket socket, short version,
                                                          CreatePartitionsTopic... topics) throws Exception {
        CreatePartitionsTopicCollection collection = new CreatePartitionsTopicCollection();
        for (CreatePartitionsTopic topic : topics)
            collection.add(topic);
        CreatePartitionsResponse response = socket.call(new CreatePartitionsRequest.Builder(
                new CreatePartitionsRequestData().setTopics(collection).setTimeoutMs(5000)).build(version));
        return response.data().results();
    }
}
