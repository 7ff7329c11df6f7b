package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.broker.topic.NewTopic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Produce and Fetch at every version ApiVersions advertises (stock clients only use the newest), by topic name
 * up to v12 and by topic id from v13.
 */
class ProduceFetchVersionsTest {

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;

    @BeforeEach
    void start() {
        kafka = new RunningKafkaBroker(dataDir);
        kafka.broker.topicAdministration().create(new NewTopic("versions", 1, (short) 1, Map.of()));
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    @Test
    void everyAdvertisedVersionProducesAndFetches() throws Exception {
        Uuid id = kafka.broker.topicMetadata().describe("versions").topicId();
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            long expectedOffset = 0;
            for (short v = ApiKeys.PRODUCE.oldestVersion(); v <= ApiKeys.PRODUCE.latestVersion(); v++) {
                ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData()
                        .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0)
                                .setRecords(MemoryRecords.withRecords(Compression.NONE,
                                        new SimpleRecord(("v" + v).getBytes(StandardCharsets.UTF_8))))));
                if (v >= 13)
                    topic.setTopicId(id);
                else
                    topic.setName("versions");
                ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
                topics.add(topic);
                ProduceResponse response = socket.call(new ProduceRequest(new ProduceRequestData().setAcks((short) 1)
                        .setTimeoutMs(5000).setTopicData(topics), v));
                ProduceResponseData.PartitionProduceResponse partition =
                        response.data().responses().iterator().next().partitionResponses().get(0);
                assertEquals(Errors.NONE.code(), partition.errorCode(), "Produce v" + v);
                assertEquals(expectedOffset++, partition.baseOffset(), "Produce v" + v);
            }

            for (short v = ApiKeys.FETCH.oldestVersion(); v <= ApiKeys.FETCH.latestVersion(); v++) {
                FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setPartitions(List.of(
                        new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(3)
                                .setPartitionMaxBytes(1 << 20)));
                if (v >= 13)
                    topic.setTopicId(id);
                else
                    topic.setTopic("versions");
                FetchRequestData data = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1)
                        .setMaxBytes(1 << 20).setTopics(List.of(topic));
                if (v >= 7)
                    data.setSessionId(0).setSessionEpoch(-1);
                FetchResponse response = socket.call(new FetchRequest(data, v));
                FetchResponseData.FetchableTopicResponse topicResponse = response.data().responses().get(0);
                assertEquals(v >= 13 ? id : Uuid.ZERO_UUID, topicResponse.topicId(), "Fetch v" + v);
                FetchResponseData.PartitionData partition = topicResponse.partitions().get(0);
                assertEquals(Errors.NONE.code(), partition.errorCode(), "Fetch v" + v);
                assertEquals(expectedOffset, partition.highWatermark(), "Fetch v" + v);
                Records records = FetchResponse.recordsOrFail(partition);
                long firstOffset = -1;
                for (RecordBatch batch : records.batches())
                    for (Record record : batch)
                        if (firstOffset < 0 && record.offset() >= 3)
                            firstOffset = record.offset();
                assertEquals(3, firstOffset, "Fetch v" + v);
            }

            FetchRequestData unknownId = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1)
                    .setMaxBytes(1 << 20).setSessionId(0).setSessionEpoch(-1).setTopics(List.of(
                            new FetchRequestData.FetchTopic().setTopicId(Uuid.randomUuid()).setPartitions(List.of(
                                    new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)))));
            FetchResponse unknown = socket.call(new FetchRequest(unknownId, ApiKeys.FETCH.latestVersion()));
            assertEquals(Errors.UNKNOWN_TOPIC_ID.code(),
                    unknown.data().responses().get(0).partitions().get(0).errorCode());

            FetchRequestData outOfRange = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1)
                    .setMaxBytes(1 << 20).setSessionId(0).setSessionEpoch(-1).setTopics(List.of(
                            new FetchRequestData.FetchTopic().setTopic("versions").setPartitions(List.of(
                                    new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(1000)))));
            FetchResponse beyond = socket.call(new FetchRequest(outOfRange, (short) 12));
            assertEquals(Errors.OFFSET_OUT_OF_RANGE.code(),
                    beyond.data().responses().get(0).partitions().get(0).errorCode());
        }
    }
}
