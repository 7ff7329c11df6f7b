package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.consumer.RecordFetcher;
import dev.tributary.broker.log.LastGoodTruncation;
import dev.tributary.broker.log.LogCorruptionException;
import dev.tributary.broker.log.ScrubberConfig;
import dev.tributary.broker.records.NewRecord;
import dev.tributary.broker.records.StoredRecord;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.server.BrokerReadiness;
import dev.tributary.broker.testing.Conditions;
import dev.tributary.broker.testing.Corruption;
import dev.tributary.broker.topic.NewTopic;
import dev.tributary.broker.topic.PartitionState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker alone whose partition has 16 flipped bytes in an old segment, below the recovery point, after a clean
 * restart (which trusts the data and checks nothing): no reader that decodes gets the damaged records, the partition
 * goes offline with the reason once the damage is known, and an operator's truncation brings it back.
 */
class CorruptPartitionTest {

    private static final String TOPIC = "ledger";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final int RECORDS = 200;
    private static final ScrubberConfig NO_SCRUBBING =
            new ScrubberConfig(false, ScrubberConfig.DEFAULT_BYTES_PER_SECOND, ScrubberConfig.DEFAULT_INTERVAL_MS);

    @TempDir
    Path dataDir;
    private RunningKafkaBroker kafka;

    @AfterEach
    void stop() {
        if (kafka != null)
            kafka.close();
    }

    private RunningKafkaBroker start(ScrubberConfig scrub) {
        kafka = new RunningKafkaBroker(BrokerConfig.embedded(dataDir).withScrub(scrub),
                KafkaListenerConfig.of("127.0.0.1", 0));
        return kafka;
    }

    /** Records value-0 ... value-199, one batch each, over many small segments; then a clean stop and the damage. */
    private Corruption.DamagedBatch writeStopAndDamage() throws Exception {
        try (RunningKafkaBroker writing = start(NO_SCRUBBING)) {
            writing.broker.topicAdministration().create(new NewTopic(TOPIC, 1, (short) 1,
                    Map.of("segment.bytes", "1024")));
            for (int i = 0; i < RECORDS; i++)
                writing.broker.writer().append(TOPIC, 0, List.of(new NewRecord(OptionalInt.empty(), null,
                        ("value-" + i).getBytes(StandardCharsets.UTF_8), List.of(), OptionalLong.empty())));
        }
        kafka = null;
        return Corruption.flipBytesInOldSegment(dataDir.resolve("logs").resolve(TOPIC + "-0"), 2);
    }

    @Test
    void readersThatDecodeAreRefusedTheDamageTheReplicaGoesOfflineAndAnOperatorTruncatesIt() throws Exception {
        Corruption.DamagedBatch damaged = writeStopAndDamage();
        RunningKafkaBroker broker = start(NO_SCRUBBING);
        FetchResponseData.PartitionData undetected = fetch(broker, damaged.baseOffset());
        assertEquals(Errors.NONE.code(), undetected.errorCode());
        assertTrue(((Records) undetected.records()).sizeInBytes() > 0,
                "undetected, a Kafka fetch sends the bytes as they are (zero-copy) for the client to check, as Kafka does");

        LogCorruptionException rest = assertThrows(LogCorruptionException.class,
                () -> broker.broker.reader().read(TOPIC, 0, 0, 1000), "what REST reads with");
        assertTrue(rest.getMessage().contains("Partition " + TP) && rest.getMessage().contains("offset "
                + damaged.baseOffset()), rest::getMessage);
        RecordFetcher inVm = new RecordFetcher(broker.broker.hostedReplicas(), broker.broker.reader());
        assertThrows(LogCorruptionException.class, () -> inVm.fetch(TP, 0, 100, Duration.ZERO, true),
                "what the JCA adapter's deliveries fetch with");

        FetchResponseData.PartitionData known = fetch(broker, 0);
        assertEquals(Errors.KAFKA_STORAGE_ERROR.code(), known.errorCode(),
                "once known, a Kafka fetch is answered as Kafka answers for an offline replica");
        Properties briefly = new Properties();
        briefly.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
        try (KafkaProducer<String, String> producer = broker.producer(briefly)) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>(TOPIC, 0, "k", "v")).get());
            assertInstanceOf(TimeoutException.class, refused.getCause(),
                    "Metadata shows the offline partition without a leader, so a producer waits for one");
        }

        PartitionState state = broker.broker.topicMetadata().describe(TOPIC).partitions().get(0);
        assertTrue(state.offlineReason().orElseThrow().contains("offset " + damaged.baseOffset()),
                () -> state.offlineReason().toString());
        BrokerReadiness.Report ready = broker.broker.readiness().readiness();
        assertFalse(ready.up());
        assertTrue(ready.data().get("offlinePartitions").contains(TP.toString()), ready::toString);
        assertEquals(1, broker.broker.metrics().logIntegrity().corruptBatches());

        LastGoodTruncation done = broker.broker.truncateToLastGood(TOPIC, 0).orElseThrow();
        assertEquals(damaged.baseOffset(), done.logEndOffset());
        assertEquals(RECORDS - damaged.baseOffset(), done.recordsDropped());
        assertTrue(broker.broker.readiness().readiness().up());
        assertTrue(broker.broker.truncateToLastGood(TOPIC, 0).isEmpty(), "nothing left to truncate");

        List<StoredRecord> kept = broker.broker.reader().read(TOPIC, 0, 0, 1000).records();
        assertEquals(damaged.baseOffset(), kept.size());
        assertEquals(damaged.baseOffset(), consumeAll(broker).size(), "a stock consumer reads what is left");
        try (KafkaProducer<String, String> producer = broker.producer(new Properties())) {
            assertEquals(damaged.baseOffset(), producer.send(new ProducerRecord<>(TOPIC, 0, "k", "v")).get().offset());
        }
    }

    @Test
    void theScrubberFindsTheDamageWithNoReaderAndCountsWhatItRead() throws Exception {
        Corruption.DamagedBatch damaged = writeStopAndDamage();
        RunningKafkaBroker broker = start(new ScrubberConfig(true, 64L << 20, 60_000));

        Conditions.await("the scrubber's first pass finds the damage", () -> broker.broker.topicMetadata()
                .describe(TOPIC).partitions().get(0).offlineReason().isPresent());
        String reason = broker.broker.topicMetadata().describe(TOPIC).partitions().get(0).offlineReason().get();
        assertTrue(reason.contains("offset " + damaged.baseOffset()) && reason.contains("the log scrubber"), reason);
        assertEquals(1, broker.broker.metrics().logIntegrity().corruptBatches());
        assertTrue(broker.broker.metrics().logIntegrity().scrubbedSegments() >= 3);
        assertTrue(broker.broker.metrics().logIntegrity().scrubbedBytes() > 0);
    }

    private static FetchResponseData.PartitionData fetch(RunningKafkaBroker broker, long offset) throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(broker.kafka.port())) {
            FetchRequestData fetch = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1)
                    .setMaxBytes(1 << 20).setSessionId(0).setSessionEpoch(-1).setTopics(List.of(
                            new FetchRequestData.FetchTopic().setTopic(TOPIC).setPartitions(List.of(
                                    new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(offset)
                                            .setPartitionMaxBytes(1 << 20)))));
            FetchResponse response = socket.call(new FetchRequest(fetch, (short) 12));
            return response.data().responses().get(0).partitions().get(0);
        }
    }

    private static List<ConsumerRecord<String, String>> consumeAll(RunningKafkaBroker broker) {
        try (KafkaConsumer<String, String> consumer = broker.consumer(new Properties())) {
            return RunningKafkaBroker.readToEnd(consumer, TP);
        }
    }
}
