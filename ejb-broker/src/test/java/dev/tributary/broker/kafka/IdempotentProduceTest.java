package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.topic.NewTopic;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
        kafka.broker.topicAdministration().create(new NewTopic("payments", 1, (short) 1, Map.of()));
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    @Test
    void aDuplicateBatchIsAnsweredWithTheOriginalOffsets() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            long pid = initProducerId(socket);
            short epoch = 0;

            socket.call(produce(pid, epoch, 0, "a", "b")); // offsets 0-1
            PartitionProduceResponse first = partition(socket.call(produce(pid, epoch, 2, "c", "d", "e")));
            assertEquals(Errors.NONE.code(), first.errorCode());
            assertEquals(2, first.baseOffset());

            // the identical request again, as a producer retries after a lost response
            PartitionProduceResponse duplicate = partition(socket.call(produce(pid, epoch, 2, "c", "d", "e")));
            assertEquals(Errors.NONE.code(), duplicate.errorCode());
            assertEquals(2, duplicate.baseOffset());
            assertEquals(5, kafka.broker.hostedReplicas().leaderLog("payments", 0).logEndOffset());

            PartitionProduceResponse gap = partition(socket.call(produce(pid, epoch, 9, "z")));
            assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code(), gap.errorCode());
            assertEquals(5, partition(socket.call(produce(pid, epoch, 5, "f"))).baseOffset());
        }
    }

    @Test
    void aRetryAfterABrokerRestartIsAnsweredWithTheOriginalOffsetsAndNewProducersGetNewIds() throws Exception {
        long pid;
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            pid = initProducerId(socket);
            socket.call(produce(pid, (short) 0, 0, "a", "b"));
            assertEquals(2, partition(socket.call(produce(pid, (short) 0, 2, "c"))).baseOffset());
        }
        kafka.close();
        kafka = new RunningKafkaBroker(dataDir);

        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            // the response to "c" was lost in the restart; the producer retries it
            PartitionProduceResponse retry = partition(socket.call(produce(pid, (short) 0, 2, "c")));
            assertEquals(Errors.NONE.code(), retry.errorCode());
            assertEquals(2, retry.baseOffset());
            assertEquals(3, kafka.broker.hostedReplicas().leaderLog("payments", 0).logEndOffset());
            assertEquals(3, partition(socket.call(produce(pid, (short) 0, 3, "d"))).baseOffset());

            long next = initProducerId(socket);
            assertTrue(next != pid, "the restarted broker handed out producer id " + pid + " again");
        }
    }

    @Test
    void aRetryAfterABrokerCrashIsAnsweredWithTheOriginalOffsets(@TempDir Path crashedDir) throws Exception {
        long pid;
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            pid = initProducerId(socket);
            socket.call(produce(pid, (short) 0, 0, "a", "b"));
            assertEquals(2, partition(socket.call(produce(pid, (short) 0, 2, "c"))).baseOffset());
        }
        // A second broker with the same topic, whose partition directory is then replaced by a copy of the running
        // broker's, taken without closing anything: the files as a crash would leave them.
        try (RunningKafkaBroker other = new RunningKafkaBroker(crashedDir)) {
            other.broker.topicAdministration().create(new NewTopic("payments", 1, (short) 1, Map.of()));
        }
        Path partitionDir = crashedDir.resolve("logs").resolve("payments-0");
        deleteRecursively(partitionDir);
        copyRecursively(dataDir.resolve("logs").resolve("payments-0"), partitionDir);

        try (RunningKafkaBroker recovered = new RunningKafkaBroker(crashedDir);
             RawKafkaSocket socket = new RawKafkaSocket(recovered.kafka.port())) {
            assertFalse(recovered.broker.hostedReplicas().leaderLog("payments", 0).recoveryInfo().cleanShutdown());
            PartitionProduceResponse retry = partition(socket.call(produce(pid, (short) 0, 2, "c")));
            assertEquals(Errors.NONE.code(), retry.errorCode());
            assertEquals(2, retry.baseOffset());
            assertEquals(3, recovered.broker.hostedReplicas().leaderLog("payments", 0).logEndOffset());
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
            assertEquals(0, kafka.broker.hostedReplicas().leaderLog("payments", 0).logEndOffset());
        }
    }

    private static long initProducerId(RawKafkaSocket socket) throws IOException {
        InitProducerIdResponse init = socket.call(new InitProducerIdRequest.Builder(new InitProducerIdRequestData()
                .setTransactionalId(null).setTransactionTimeoutMs(60_000))
                .build(ApiKeys.INIT_PRODUCER_ID.latestVersion()));
        assertEquals(Errors.NONE, init.error());
        assertEquals(0, init.data().producerEpoch());
        return init.data().producerId();
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList())
                Files.copy(source, to.resolve(from.relativize(source).toString()));
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList())
                Files.delete(path);
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
