package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.kafka.handlers.AutoTopicCreationConfig;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.testing.Conditions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Topics created on first use by a stock producer's Metadata request, as Kafka does, and only then. */
class AutoTopicCreationTest {

    @TempDir
    Path dataDir;

    private RunningKafkaBroker broker(AutoTopicCreationConfig settings) {
        return new RunningKafkaBroker(BrokerConfig.embedded(dataDir),
                KafkaListenerConfig.of("127.0.0.1", 0).withAutoTopicCreation(settings));
    }

    @Test
    void aStockProducerSendingToAMissingTopicCreatesItWithNumPartitionsAndItsRecordIsStored() throws Exception {
        try (RunningKafkaBroker kafka = broker(new AutoTopicCreationConfig(true, 3, (short) 1));
             KafkaProducer<String, String> producer = kafka.producer(new Properties())) {
            RecordMetadata sent = producer.send(new ProducerRecord<>("first-use", 1, "k", "hello")).get();

            assertEquals(3, kafka.broker.topicMetadata().describe("first-use").partitions().size());
            try (KafkaConsumer<String, String> consumer = kafka.consumer(new Properties())) {
                List<ConsumerRecord<String, String>> read = RunningKafkaBroker.readToEnd(consumer,
                        new TopicPartition("first-use", 1));
                assertEquals(1, read.size());
                assertEquals(sent.offset(), read.get(0).offset());
                assertEquals("hello", read.get(0).value());
            }
        }
    }

    @Test
    void aConsumerThatDoesNotAllowCreationLeavesAMissingTopicMissing() {
        try (RunningKafkaBroker kafka = broker(AutoTopicCreationConfig.DEFAULTS)) {
            Properties props = new Properties();
            props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
            try (KafkaConsumer<String, String> consumer = kafka.groupMember("readers", "reader-1", props)) {
                consumer.subscribe(List.of("not-yet"));
                assertTrue(consumer.poll(Duration.ofSeconds(3)).isEmpty());
            }
            assertFalse(kafka.broker.topicMetadata().topicNames().contains("not-yet"));
        }
    }

    /** kafka-clients 4.4's consumer defaults to {@code allow.auto.create.topics=true}: Kafka creates it then. */
    @Test
    void aConsumerWithTheClientDefaultsCreatesAMissingTopicItSubscribesTo() {
        try (RunningKafkaBroker kafka = broker(AutoTopicCreationConfig.DEFAULTS);
             KafkaConsumer<String, String> consumer = kafka.groupMember("readers", "reader-1", new Properties())) {
            consumer.subscribe(List.of("made-by-reader"));
            Conditions.await("made-by-reader created", () -> {
                consumer.poll(Duration.ofMillis(100));
                return kafka.broker.topicMetadata().topicNames().contains("made-by-reader");
            });
        }
    }

    @Test
    void withCreationTurnedOffAProducerTimesOutAndNothingIsCreated() {
        try (RunningKafkaBroker kafka = broker(AutoTopicCreationConfig.DEFAULTS.disabled());
             KafkaProducer<String, String> producer = kafka.producer(shortMetadataWait())) {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("never-made", "v")).get());
            assertInstanceOf(TimeoutException.class, failed.getCause(), failed.getCause().toString());
            assertFalse(kafka.broker.topicMetadata().topicNames().contains("never-made"));
        }
    }

    @Test
    void anInvalidNameIsRefusedAndNothingIsCreated() {
        try (RunningKafkaBroker kafka = broker(AutoTopicCreationConfig.DEFAULTS);
             KafkaProducer<String, String> producer = kafka.producer(shortMetadataWait())) {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("no spaces allowed", "v")).get());
            assertInstanceOf(InvalidTopicException.class, failed.getCause(), failed.getCause().toString());
            assertTrue(kafka.broker.topicMetadata().topicNames().isEmpty());
        }
    }

    /** The wire answers, as Kafka's: created → LEADER_NOT_AVAILABLE; not allowed or internal → unknown. */
    @Test
    void metadataAnswersLeaderNotAvailableForATopicItCreatedAndUnknownOtherwise() throws Exception {
        try (RunningKafkaBroker kafka = broker(AutoTopicCreationConfig.DEFAULTS);
             RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, metadata(socket, "orders", false));
            assertFalse(kafka.broker.topicMetadata().topicNames().contains("orders"));

            assertEquals(Errors.LEADER_NOT_AVAILABLE, metadata(socket, "orders", true));
            assertEquals(1, kafka.broker.topicMetadata().describe("orders").partitions().size());
            assertEquals(Errors.NONE, metadata(socket, "orders", true));

            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, metadata(socket, "__consumer_offsets", true));
            assertEquals(Errors.INVALID_TOPIC_EXCEPTION, metadata(socket, "..", true));
            assertEquals(List.of("orders"), List.copyOf(kafka.broker.topicMetadata().topicNames()));
        }
    }

    /** Kafka 4 creates topics from Metadata only: a Produce naming a missing topic is refused and creates nothing. */
    @Test
    void produceAloneNeverCreatesATopic() throws Exception {
        try (RunningKafkaBroker kafka = broker(AutoTopicCreationConfig.DEFAULTS);
             RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
            topics.add(new ProduceRequestData.TopicProduceData().setName("unasked").setPartitionData(List.of(
                    new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(MemoryRecords.withRecords(
                            Compression.NONE, new SimpleRecord("v".getBytes(StandardCharsets.UTF_8)))))));
            ProduceResponse response = socket.call(new ProduceRequest(new ProduceRequestData().setAcks((short) -1)
                    .setTimeoutMs(10_000).setTopicData(topics), (short) 11));
            short error = response.data().responses().iterator().next().partitionResponses().get(0).errorCode();
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.forCode(error));
            assertTrue(kafka.broker.topicMetadata().topicNames().isEmpty());
        }
    }

    private static Errors metadata(RawKafkaSocket socket, String topic, boolean allowCreation) throws Exception {
        MetadataRequestData data = new MetadataRequestData().setAllowAutoTopicCreation(allowCreation);
        data.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(topic));
        MetadataResponse response = socket.call(new MetadataRequest(data, (short) 12));
        MetadataResponseTopic answer = response.data().topics().find(topic);
        return Errors.forCode(answer.errorCode());
    }

    private static Properties shortMetadataWait() {
        Properties props = new Properties();
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "3000");
        return props;
    }
}
