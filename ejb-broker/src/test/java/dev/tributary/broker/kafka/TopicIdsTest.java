package dev.tributary.broker.kafka;

import static dev.tributary.broker.kafka.KafkaClientsTest.assertCause;
import static dev.tributary.broker.kafka.KafkaClientsTest.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real topic ids: one per topic incarnation, the same in every API, stable across restarts, never reused. */
class TopicIdsTest {

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;

    @BeforeEach
    void start() {
        kafka = new RunningKafkaBroker(dataDir);
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    private Uuid create(Admin admin, String topic) throws Exception {
        Uuid created = admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).topicId(topic).get();
        assertEquals(created, admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).topicId(),
                "CreateTopics and Metadata give the same id");
        assertEquals(created, kafka.broker.topicMetadata().describe(topic).topicId());
        return created;
    }

    @Test
    void aRecreatedTopicHasANewIdAndTheOldOneIsUnknownEverywhere() throws Exception {
        Uuid old;
        Uuid recreated;
        try (Admin admin = kafka.admin()) {
            old = create(admin, "orders");
            Uuid other = create(admin, "payments");
            assertNotEquals(old, other);

            admin.deleteTopics(TopicCollection.ofTopicIds(List.of(old))).all().get();
            assertEquals(Set.of("payments"), admin.listTopics().names().get());
            recreated = create(admin, "orders");
            assertNotEquals(old, recreated, "a new topic of the same name is a new topic");
            assertCause(UnknownTopicIdException.class,
                    () -> admin.deleteTopics(TopicCollection.ofTopicIds(List.of(old))).all().get());
        }
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            assertEquals(Errors.UNKNOWN_TOPIC_ID, fetch(socket, old));
            assertEquals(Errors.NONE, fetch(socket, recreated));
            assertEquals(Errors.UNKNOWN_TOPIC_ID, produce(socket, old));
            assertEquals(Errors.NONE, produce(socket, recreated));
            MetadataResponse byOldId = socket.call(MetadataRequest.Builder.forTopicIds(Set.of(old))
                    .build(ApiKeys.METADATA.latestVersion()));
            assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), byOldId.data().topics().iterator().next().errorCode());
        }
        assertEquals(1, kafka.broker.hostedReplicas().leaderLog("orders", 0).logEndOffset(),
                "only the produce by the new id arrived");
    }

    @Test
    void idsSurviveARestartAndConsumersFetchByThem() throws Exception {
        Uuid id;
        try (Admin admin = kafka.admin()) {
            id = create(admin, "orders");
        }
        kafka.close();
        kafka = new RunningKafkaBroker(dataDir);
        try (Admin admin = kafka.admin()) {
            assertEquals(id, admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders").topicId());
        }
        try (KafkaProducer<String, String> producer = kafka.producer(new Properties())) {
            producer.send(new ProducerRecord<>("orders", "k", "v")).get();
        }
        try (KafkaConsumer<String, String> consumer = kafka.consumer(new Properties())) {
            TopicPartition p0 = new TopicPartition("orders", 0);
            consumer.assign(List.of(p0));
            consumer.seekToBeginning(List.of(p0));
            assertEquals("v", pollUntil(consumer, 1).get(0).value()); // Fetch v18 names the topic by its id
        }
    }

    private static Errors fetch(RawKafkaSocket socket, Uuid topicId) throws Exception {
        FetchRequestData data = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1)
                .setMaxBytes(1 << 20).setSessionId(0).setSessionEpoch(-1).setTopics(List.of(
                        new FetchRequestData.FetchTopic().setTopicId(topicId).setPartitions(List.of(
                                new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                                        .setPartitionMaxBytes(1 << 20)))));
        FetchResponse response = socket.call(new FetchRequest(data, ApiKeys.FETCH.latestVersion()));
        return Errors.forCode(response.data().responses().get(0).partitions().get(0).errorCode());
    }

    private static Errors produce(RawKafkaSocket socket, Uuid topicId) throws Exception {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setTopicId(topicId).setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(MemoryRecords.withRecords(
                        Compression.NONE, new SimpleRecord("by id".getBytes(StandardCharsets.UTF_8)))))));
        ProduceResponse response = socket.call(new ProduceRequest(new ProduceRequestData().setAcks((short) 1)
                .setTimeoutMs(5000).setTopicData(topics), ApiKeys.PRODUCE.latestVersion()));
        return Errors.forCode(response.data().responses().iterator().next().partitionResponses().get(0).errorCode());
    }
}
