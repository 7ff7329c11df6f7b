package dev.tributary.broker.kafka;

import static dev.tributary.broker.kafka.KafkaClientsTest.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.topic.NewTopic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.LogTruncationException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OffsetsForLeaderEpoch as the stock consumer uses it to validate a position that carries a leader epoch, and the
 * leader-epoch checks of Fetch, ListOffsets and OffsetsForLeaderEpoch by hand.
 */
class OffsetsForLeaderEpochTest {

    private static final TopicPartition P0 = new TopicPartition("orders", 0);

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;

    @BeforeEach
    void start() throws Exception {
        kafka = new RunningKafkaBroker(dataDir);
        kafka.broker.topicAdministration().create(new NewTopic("orders", 1, (short) 1, Map.of()));
        try (KafkaProducer<String, String> producer = kafka.producer(new Properties())) {
            for (int i = 0; i < 5; i++)
                producer.send(new ProducerRecord<>("orders", 0, "k" + i, "v" + i)).get();
        }
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    private KafkaConsumer<String, String> consumer(String offsetReset) {
        Properties props = new Properties();
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
        KafkaConsumer<String, String> consumer = kafka.consumer(props);
        consumer.assign(List.of(P0));
        return consumer;
    }

    /** Polls until the consumer throws, failing the test if it has not within 30 s. */
    private static <T extends Throwable> T pollUntilThrown(KafkaConsumer<String, String> consumer, Class<T> type) {
        return assertThrows(type, () -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline)
                consumer.poll(Duration.ofMillis(200));
        });
    }

    @Test
    void aSeekWithTheCurrentEpochIsValidatedAndServed() {
        try (KafkaConsumer<String, String> consumer = consumer("none")) {
            consumer.seek(P0, new OffsetAndMetadata(3, Optional.of(0), ""));
            List<ConsumerRecord<String, String>> records = pollUntil(consumer, 2);
            assertEquals(List.of("v3", "v4"), records.stream().map(ConsumerRecord::value).toList());
        }
        assertTrue(kafka.kafka.requestCount(ApiKeys.OFFSET_FOR_LEADER_EPOCH) > 0, "the consumer validated");
    }

    @Test
    void aPositionBeyondTheEpochsEndIsATruncatedLog() {
        try (KafkaConsumer<String, String> consumer = consumer("none")) {
            consumer.seek(P0, new OffsetAndMetadata(8, Optional.of(0), ""));
            LogTruncationException e = pollUntilThrown(consumer, LogTruncationException.class);
            assertEquals(Map.of(P0, new OffsetAndMetadata(5, Optional.of(0), null)), e.divergentOffsets());

            consumer.seek(P0, new OffsetAndMetadata(2, Optional.of(1), "")); // an epoch this broker never had
            LogTruncationException unknown = pollUntilThrown(consumer, LogTruncationException.class);
            assertEquals(Map.of(), unknown.divergentOffsets(), "no epoch at or below 1 is known to end anywhere");
            assertEquals(Map.of(P0, 2L), unknown.offsetOutOfRangePartitions());
        }
        try (KafkaConsumer<String, String> consumer = consumer("earliest")) {
            consumer.seek(P0, new OffsetAndMetadata(8, Optional.of(0), ""));
            // with a reset policy, the consumer continues where the epoch ends instead of failing
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(P0) != 5 && System.nanoTime() < deadline)
                consumer.poll(Duration.ofMillis(100)); // validates the position
            assertEquals(5, consumer.position(P0));
            try (KafkaProducer<String, String> producer = kafka.producer(new Properties())) {
                producer.send(new ProducerRecord<>("orders", 0, "k5", "v5"));
            }
            assertEquals("v5", pollUntil(consumer, 1).get(0).value());
        }
    }

    @Test
    void everyVersionAnswersFromTheOneEpochHistory() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            for (short v = ApiKeys.OFFSET_FOR_LEADER_EPOCH.oldestVersion();
                 v <= ApiKeys.OFFSET_FOR_LEADER_EPOCH.latestVersion(); v++) {
                List<EpochEndOffset> answers = offsetsForLeaderEpoch(socket, v, "orders",
                        partition(0, -1, 0), partition(0, 0, 0), partition(0, 0, 3), partition(0, 0, -1),
                        partition(0, 1, 0), partition(0, -5, 0), partition(4, 0, 0));
                assertEquals(List.of(
                        answer(0, Errors.NONE, 0, 5), answer(0, Errors.NONE, 0, 5),
                        answer(0, Errors.NONE, -1, -1), answer(0, Errors.NONE, -1, -1),
                        answer(0, Errors.UNKNOWN_LEADER_EPOCH, -1, -1), answer(0, Errors.FENCED_LEADER_EPOCH, -1, -1),
                        answer(4, Errors.UNKNOWN_TOPIC_OR_PARTITION, -1, -1)), answers, "v" + v);
            }
            assertEquals(List.of(answer(0, Errors.UNKNOWN_TOPIC_OR_PARTITION, -1, -1)), offsetsForLeaderEpoch(
                    socket, ApiKeys.OFFSET_FOR_LEADER_EPOCH.latestVersion(), "missing", partition(0, 0, 0)));
        }
    }

    @Test
    void metadataFetchAndListOffsetsAgreeOnEpochZero() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            MetadataResponse metadata = socket.call(MetadataRequest.Builder.forTopicNames(List.of("orders"), false)
                    .build(ApiKeys.METADATA.latestVersion()));
            MetadataResponsePartition partition = metadata.data().topics().find("orders").partitions().get(0);
            assertEquals(0, partition.leaderEpoch());

            for (int epoch : new int[]{-1, 0, 1}) {
                Errors expected = epoch == 1 ? Errors.UNKNOWN_LEADER_EPOCH : Errors.NONE;
                FetchRequestData fetch = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1)
                        .setMaxBytes(1 << 20).setSessionId(0).setSessionEpoch(-1).setTopics(List.of(
                                new FetchRequestData.FetchTopic().setTopic("orders").setPartitions(List.of(
                                        new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                                                .setCurrentLeaderEpoch(epoch).setPartitionMaxBytes(1 << 20)))));
                FetchResponse fetched = socket.call(new FetchRequest(fetch, (short) 12));
                assertEquals(expected.code(), fetched.data().responses().get(0).partitions().get(0).errorCode(),
                        "Fetch with current leader epoch " + epoch);

                ListOffsetsResponse listed = socket.call(ListOffsetsRequest.Builder
                        .forConsumer(false, IsolationLevel.READ_UNCOMMITTED)
                        .setTargetTimes(List.of(new ListOffsetsTopic().setName("orders").setPartitions(List.of(
                                new ListOffsetsPartition().setPartitionIndex(0).setCurrentLeaderEpoch(epoch)
                                        .setTimestamp(ListOffsetsRequest.EARLIEST_TIMESTAMP)))))
                        .build(ApiKeys.LIST_OFFSETS.latestVersion()));
                var offset = listed.data().topics().get(0).partitions().get(0);
                assertEquals(expected.code(), offset.errorCode(), "ListOffsets with current leader epoch " + epoch);
                if (expected == Errors.NONE)
                    assertEquals(0, offset.leaderEpoch());
            }
        }
    }

    private static OffsetForLeaderPartition partition(int partition, int currentLeaderEpoch, int leaderEpoch) {
        return new OffsetForLeaderPartition().setPartition(partition).setCurrentLeaderEpoch(currentLeaderEpoch)
                .setLeaderEpoch(leaderEpoch);
    }

    private static EpochEndOffset answer(int partition, Errors error, int leaderEpoch, long endOffset) {
        return new EpochEndOffset().setPartition(partition).setErrorCode(error.code()).setLeaderEpoch(leaderEpoch)
                .setEndOffset(endOffset);
    }

    private static List<EpochEndOffset> offsetsForLeaderEpoch(RawKafkaSocket socket, short version, String topic,
                                                              OffsetForLeaderPartition... partitions)
            throws Exception {
        OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection topics =
                new OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection();
        topics.add(new OffsetForLeaderTopic().setTopic(topic).setPartitions(List.of(partitions)));
        OffsetsForLeaderEpochResponse response = socket.call(new OffsetsForLeaderEpochRequest(
                new OffsetForLeaderEpochRequestData().setReplicaId(-1).setTopics(topics), version));
        return response.data().topics().find(topic).partitions();
    }
}
