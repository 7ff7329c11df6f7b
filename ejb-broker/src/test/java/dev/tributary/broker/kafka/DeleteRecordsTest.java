package dev.tributary.broker.kafka;

import static dev.tributary.broker.kafka.KafkaClientsTest.assertCause;
import static dev.tributary.broker.kafka.KafkaClientsTest.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tributary.broker.records.StoredRecord;
import dev.tributary.broker.topic.NewTopic;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.apache.kafka.common.requests.DeleteRecordsResponse;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DeleteRecords from the stock admin client, what consumers and REST reads see afterwards, and restarts. */
class DeleteRecordsTest {

    private static final TopicPartition P0 = new TopicPartition("orders", 0);

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;

    @BeforeEach
    void start() throws Exception {
        kafka = new RunningKafkaBroker(dataDir);
        kafka.broker.topicAdministration().create(new NewTopic("orders", 2, (short) 1, Map.of()));
        // ten records in one batch: deleting below 4 cuts the batch in two
        Properties batching = new Properties();
        batching.put(ProducerConfig.LINGER_MS_CONFIG, "10000"); // flush() sends at once
        try (KafkaProducer<String, String> producer = kafka.producer(batching)) {
            for (int i = 0; i < 10; i++)
                producer.send(new ProducerRecord<>("orders", 0, "k" + i, "v" + i));
            producer.flush();
        }
        assertEquals(10, kafka.broker.hostedReplicas().leaderLog("orders", 0).highWatermark());
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    private long deleteBefore(Admin admin, long offset) throws Exception {
        return admin.deleteRecords(Map.of(P0, RecordsToDelete.beforeOffset(offset))).lowWatermarks().get(P0).get()
                .lowWatermark();
    }

    @Test
    void consumersAndRestReadsStartAfterTheDeletedRecords() throws Exception {
        try (Admin admin = kafka.admin()) {
            assertEquals(4, deleteBefore(admin, 4));
            assertEquals(4, deleteBefore(admin, 2), "the start never moves back");
        }
        Properties fromEarliest = new Properties();
        fromEarliest.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = kafka.consumer(fromEarliest)) {
            assertEquals(Map.of(P0, 4L), consumer.beginningOffsets(List.of(P0)));
            consumer.assign(List.of(P0));
            consumer.seek(P0, 1); // deleted: out of range, so the consumer resets to the earliest offset
            List<ConsumerRecord<String, String>> records = pollUntil(consumer, 6);
            assertEquals(List.of(4L, 5L, 6L, 7L, 8L, 9L), records.stream().map(ConsumerRecord::offset).toList());
        }
        assertThrows(OffsetOutOfRangeException.class,
                () -> kafka.broker.reader().read("orders", 0, 3, 10));
        List<StoredRecord> fromStart = kafka.broker.reader().read("orders", 0,
                kafka.broker.topicMetadata().describe("orders").partitions().get(0).logStartOffset(), 10).records();
        assertEquals(4, fromStart.get(0).offset(), "REST reads from the log start offset skip the deleted part");

        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            FetchRequestData fetch = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1)
                    .setMaxBytes(1 << 20).setSessionId(0).setSessionEpoch(-1).setTopics(List.of(
                            new FetchRequestData.FetchTopic().setTopic("orders").setPartitions(List.of(
                                    new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(4)
                                            .setPartitionMaxBytes(1 << 20)))));
            FetchResponse response = socket.call(new FetchRequest(fetch, (short) 12));
            FetchResponseData.PartitionData partition = response.data().responses().get(0).partitions().get(0);
            assertEquals(Errors.NONE.code(), partition.errorCode());
            assertEquals(4, partition.logStartOffset(), "fetch responses carry the new log start offset");
        }
    }

    @Test
    void minusOneDeletesUpToTheHighWatermarkAndTheStartSurvivesARestart() throws Exception {
        try (Admin admin = kafka.admin()) {
            assertEquals(10, deleteBefore(admin, DeleteRecordsRequest.HIGH_WATERMARK));
        }
        kafka.close();
        kafka = new RunningKafkaBroker(dataDir);
        try (KafkaConsumer<String, String> consumer = kafka.consumer(new Properties())) {
            assertEquals(Map.of(P0, 10L), consumer.beginningOffsets(List.of(P0)));
            assertEquals(Map.of(P0, 10L), consumer.endOffsets(List.of(P0)));
        }
    }

    /** (An unknown topic never reaches the broker: the admin client retries its metadata lookup until timeout.) */
    @Test
    void offsetsBeyondTheHighWatermarkAreRefused() throws Exception {
        try (Admin admin = kafka.admin()) {
            assertCause(OffsetOutOfRangeException.class, () -> deleteBefore(admin, 11));
        }
        assertEquals(0, kafka.broker.hostedReplicas().leaderLog("orders", 0).logStartOffset());
    }

    @Test
    void everyVersionIsServedWithAnAnswerPerPartition() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            for (short v = ApiKeys.DELETE_RECORDS.oldestVersion(); v <= ApiKeys.DELETE_RECORDS.latestVersion(); v++) {
                List<DeleteRecordsPartitionResult> results = deleteRecords(socket, v, Map.of(0, v + 1L, 1, 0L, 7, 1L));
                assertEquals(List.of(0, 1, 7), results.stream().map(DeleteRecordsPartitionResult::partitionIndex)
                        .sorted().toList(), "v" + v);
                for (DeleteRecordsPartitionResult result : results) {
                    switch (result.partitionIndex()) {
                        case 0 -> assertEquals(List.of(Errors.NONE.code(), v + 1L),
                                List.of(result.errorCode(), result.lowWatermark()), "v" + v);
                        case 1 -> assertEquals(List.of(Errors.NONE.code(), 0L),
                                List.of(result.errorCode(), result.lowWatermark()), "v" + v + ": an empty partition");
                        default -> assertEquals(List.of(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), -1L),
                                List.of(result.errorCode(), result.lowWatermark()), "v" + v);
                    }
                }
            }
            DeleteRecordsPartitionResult beyond = deleteRecords(socket, ApiKeys.DELETE_RECORDS.latestVersion(),
                    Map.of(1, 1L)).get(0);
            assertEquals(Errors.OFFSET_OUT_OF_RANGE.code(), beyond.errorCode(), "partition 1 is empty");
        }
    }

    private static List<DeleteRecordsPartitionResult> deleteRecords(RawKafkaSocket socket, short version,
                                                                   Map<Integer, Long> offsets) throws Exception {
        DeleteRecordsRequestData.DeleteRecordsTopic topic = new DeleteRecordsRequestData.DeleteRecordsTopic()
                .setName("orders");
        offsets.forEach((partition, offset) -> topic.partitions().add(
                new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(partition).setOffset(offset)));
        DeleteRecordsResponse response = socket.call(new DeleteRecordsRequest.Builder(new DeleteRecordsRequestData()
                .setTopics(List.of(topic)).setTimeoutMs(5000)).build(version));
        return List.copyOf(response.data().topics().find("orders").partitions());
    }
}
