package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.topic.NewTopic;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idempotent produce over the wire, with requests built by kafka-clients' own request classes. */
class IdempotentProduceTest {

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;

    @BeforeEach
    void start() {
        kafka = new RunningKafkaBroker(dataDir);
        kafka.broker.topics().create(new NewTopic("payments", 1, (short) 1, Map.of()));
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    @Test
    void aDuplicateBatchIsAnsweredWithTheOriginalOffsets() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            InitProducerIdResponse init = socket.call(new InitProducerIdRequest.Builder(new InitProducerIdRequestData()
                    .setTransactionalId(null).setTransactionTimeoutMs(60_000)).build(ApiKeys.INIT_PRODUCER_ID.latestVersion()));
            assertEquals(Errors.NONE, init.error());
            long pid = init.data().producerId();
            short epoch = init.data().producerEpoch();

            socket.call(produce(pid, epoch, 0, "a", "b")); // offsets 0-1
            PartitionProduceResponse first = partition(socket.call(produce(pid, epoch, 2, "c", "d", "e")));
            assertEquals(Errors.NONE.code(), first.errorCode());
            assertEquals(2, first.baseOffset());

            // the identical request again, as a producer retries after a lost response
            PartitionProduceResponse duplicate = partition(socket.call(produce(pid, epoch, 2, "c", "d", "e")));
            assertEquals(Errors.NONE.code(), duplicate.errorCode());
            assertEquals(2, duplicate.baseOffset());
            assertEquals(5, kafka.broker.topics().partitionLog("payments", 0).logEndOffset());

            PartitionProduceResponse gap = partition(socket.call(produce(pid, epoch, 9, "z")));
            assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code(), gap.errorCode());
            assertEquals(5, partition(socket.call(produce(pid, epoch, 5, "f"))).baseOffset());
        }
    }

    @Test
    void aCorruptBatchIsRefusedWithCorruptMessage() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
                    new SimpleRecord("intact".getBytes(StandardCharsets.UTF_8)));
            ByteBuffer buffer = records.buffer();
            int last = buffer.limit() - 1;
            buffer.put(last, (byte) (buffer.get(last) ^ 0x5A)); // a flipped bit in the record, under the CRC
            PartitionProduceResponse response = partition(socket.call(request(records)));
            assertEquals(Errors.CORRUPT_MESSAGE.code(), response.errorCode());
            assertEquals(0, kafka.broker.topics().partitionLog("payments", 0).logEndOffset());
        }
    }

    private static ProduceRequest produce(long pid, short epoch, int firstSequence, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++)
            records[i] = new SimpleRecord(values[i].getBytes(StandardCharsets.UTF_8));
        return request(MemoryRecords.withIdempotentRecords(Compression.NONE, pid, epoch, firstSequence, records));
    }

    /** Produce v12, the last version that names topics rather than using topic ids. */
    private static ProduceRequest request(MemoryRecords records) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName("payments").setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records))));
        return new ProduceRequest(new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000)
                .setTopicData(topics), (short) 12);
    }

    private static PartitionProduceResponse partition(ProduceResponse response) {
        assertTrue(response.data().responses().size() == 1);
        return response.data().responses().iterator().next().partitionResponses().get(0);
    }
}
