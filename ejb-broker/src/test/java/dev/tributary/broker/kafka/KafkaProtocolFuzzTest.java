package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.topic.NewTopic;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random mutations of real requests (flipped bytes, truncations, garbage appended, random sizes, api keys
 * and versions) thrown at the listener for a bounded number of rounds. Every frame is answered with a response to
 * it or the connection is closed; the broker keeps serving; the records written before read back unchanged.
 * A failure prints the seed; {@code -Dtributary.fuzz.seed=N} replays it.
 */
class KafkaProtocolFuzzTest {

    private static final int ROUNDS = 1500;
    private static final String TOPIC = "fuzzed";

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;

    @BeforeEach
    void start() {
        kafka = new RunningKafkaBroker(dataDir);
        kafka.broker.topicAdministration().create(new NewTopic(TOPIC, 2, (short) 1, Map.of()));
        kafka.produceNumbered(TOPIC, 0, 200);
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    @Test
    void mutatedFramesGetAnAnswerOrAClosedConnectionAndNothingWrittenChanges() throws Exception {
        long seed = Long.getLong("tributary.fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        List<ConsumerRecord<String, String>> before = readAll();
        List<byte[]> valid = validRequests();
        int answered = 0;
        int closed = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] frame = mutate(valid.get(random.nextInt(valid.size())), random);
            switch (exchange(frame, seed, round)) {
                case ANSWERED -> answered++;
                case CLOSED -> closed++;
                case WAITING -> { } // e.g. a fetch that now waits long for data: the broker holds it, alive
            }
        }
        assertTrue(answered > 0 && closed > 0, "seed " + seed + ": both outcomes exercised (" + answered
                + " answered, " + closed + " closed)");
        List<ConsumerRecord<String, String>> after = readAll();
        Map<String, String> afterByPosition = new HashMap<>();
        after.forEach(r -> afterByPosition.put(r.partition() + "/" + r.offset(), r.key() + "=" + r.value()));
        for (ConsumerRecord<String, String> record : before) {
            assertEquals(record.key() + "=" + record.value(), afterByPosition.get(record.partition() + "/"
                    + record.offset()), "seed " + seed + ": what was written before reads back unchanged");
        }
        kafka.produceNumbered(TOPIC, 200, 10); // and the broker still takes writes
        assertEquals(after.size() + 10, readAll().size());
    }

    private enum Outcome { ANSWERED, CLOSED, WAITING }

    /** Sends one frame on a fresh connection; a response must belong to it. */
    private Outcome exchange(byte[] frame, long seed, int round) throws IOException {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            socket.readTimeout(500);
            socket.sendRaw(frame);
            try {
                byte[] response = socket.receiveFrame();
                int correlationId = ByteBuffer.wrap(frame, 4 + 4, 4).getInt();
                assertEquals(correlationId, ResponseHeader.parse(ByteBuffer.wrap(response), (short) 0)
                        .correlationId(), "seed " + seed + " round " + round + ": a response to another request");
                return Outcome.ANSWERED;
            } catch (SocketTimeoutException e) {
                return Outcome.WAITING;
            } catch (EOFException | SocketException e) {
                return Outcome.CLOSED;
            }
        }
    }

    /** A size-prefixed frame, mutated one of several ways. */
    private static byte[] mutate(byte[] request, Random random) {
        byte[] body = request.clone();
        switch (random.nextInt(6)) {
            case 0 -> { // flip bytes anywhere after the api key and version
                for (int i = random.nextInt(4) + 1; i > 0; i--)
                    body[4 + random.nextInt(body.length - 4)] ^= (byte) (1 + random.nextInt(255));
            }
            case 1 -> body = Arrays.copyOf(body, 8 + random.nextInt(body.length - 8)); // truncated
            case 2 -> { // garbage appended
                byte[] longer = Arrays.copyOf(body, body.length + 1 + random.nextInt(64));
                for (int i = body.length; i < longer.length; i++)
                    longer[i] = (byte) random.nextInt(256);
                body = longer;
            }
            case 3 -> { // another api key
                body[0] = 0;
                body[1] = (byte) random.nextInt(80);
            }
            case 4 -> body[3] = (byte) random.nextInt(20); // another version
            default -> { // a length field somewhere in the body made huge or negative
                int at = 8 + random.nextInt(Math.max(1, body.length - 12));
                ByteBuffer.wrap(body, at, 4).putInt(random.nextBoolean() ? Integer.MAX_VALUE : -random.nextInt(1000));
            }
        }
        ByteBuffer framed = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body);
        return framed.array();
    }

    private static List<byte[]> validRequests() {
        List<AbstractRequest> requests = new ArrayList<>();
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord("k".getBytes(), "fuzz".getBytes()));
        ProduceRequestData produce = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(5000);
        produce.topicData().add(new ProduceRequestData.TopicProduceData().setName(TOPIC).setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records))));
        requests.add(ProduceRequest.builder(produce).build((short) 9));
        requests.add(FetchRequest.Builder.forConsumer((short) 12, 100, 1, Map.of(
                new TopicPartition(TOPIC, 0), new FetchRequest.PartitionData(Uuid.ZERO_UUID,
                        0, 0, 1 << 20, Optional.empty()))).build((short) 12));
        requests.add(MetadataRequest.Builder.allTopics().build((short) 12));
        requests.add(ListOffsetsRequest.Builder.forConsumer(false, IsolationLevel.READ_UNCOMMITTED)
                .setTargetTimes(List.of(new ListOffsetsRequestData.ListOffsetsTopic().setName(TOPIC).setPartitions(
                        List.of(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0)
                                .setTimestamp(-1))))).build((short) 7));
        requests.add(new JoinGroupRequest.Builder(new JoinGroupRequestData().setGroupId("g").setProtocolType("consumer")
                .setSessionTimeoutMs(10000).setRebalanceTimeoutMs(1000).setMemberId("")
                .setProtocols(new JoinGroupRequestData.JoinGroupRequestProtocolCollection())).build((short) 9));
        requests.add(OffsetCommitRequest.Builder.forTopicNames(new OffsetCommitRequestData().setGroupId("g")
                .setGenerationIdOrMemberEpoch(-1).setMemberId("").setTopics(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(TOPIC).setPartitions(List.of(
                                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0)
                                        .setCommittedOffset(3)))))).build((short) 8));
        CreateTopicsRequestData.CreatableTopicCollection topics = new CreateTopicsRequestData.CreatableTopicCollection();
        topics.add(new CreateTopicsRequestData.CreatableTopic().setName("made-by-fuzz").setNumPartitions(1)
                .setReplicationFactor((short) 1));
        requests.add(new CreateTopicsRequest.Builder(new CreateTopicsRequestData().setTopics(topics)
                .setTimeoutMs(5000)).build((short) 7));
        List<byte[]> serialized = new ArrayList<>();
        int correlationId = 1;
        for (AbstractRequest request : requests) {
            ByteBuffer bytes = request.serializeWithHeader(new RequestHeader(request.apiKey(), request.version(),
                    "fuzz", correlationId++));
            byte[] array = new byte[bytes.remaining()];
            bytes.get(array);
            serialized.add(array);
        }
        return serialized;
    }

    private List<ConsumerRecord<String, String>> readAll() {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = kafka.consumer(new Properties())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long total = end.values().stream().mapToLong(Long::longValue).sum();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < total && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
