package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.group.PartitionLag;
import dev.tributary.broker.metrics.BrokerMetrics;
import dev.tributary.broker.metrics.TopicTraffic;
import dev.tributary.broker.records.NewRecord;
import dev.tributary.broker.topic.NewTopic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's measurements as stock clients drive it: per-topic traffic, requests per API, connections. */
class KafkaMetricsTest {

    @TempDir
    Path dir;

    @Test
    void countsRecordsInAndOutPerTopicWhateverThePath() throws Exception {
        try (RunningKafkaBroker kafka = new RunningKafkaBroker(dir)) {
            kafka.broker.topicAdministration().create(new NewTopic("metered", 1, (short) 1, Map.of()));
            BrokerMetrics metrics = kafka.broker.metrics();
            TopicTraffic traffic = metrics.topic("metered");

            try (KafkaProducer<String, String> producer = kafka.producer(new Properties())) {
                for (int i = 0; i < 10; i++)
                    producer.send(new ProducerRecord<>("metered", 0, "k" + i, "v" + i)).get();
            }
            assertEquals(10, traffic.recordsIn(), "Kafka Produce");
            kafka.broker.writer().append("metered", List.of(record("rest-1"), record("rest-2")));
            assertEquals(12, traffic.recordsIn(), "records appended one by one (REST, JCA)");
            assertTrue(traffic.bytesIn() > 0);

            List<ConsumerRecord<String, String>> consumed = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = kafka.consumer(new Properties())) {
                TopicPartition tp = new TopicPartition("metered", 0);
                consumer.assign(List.of(tp));
                consumer.seek(tp, 4);
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (consumed.size() < 8 && System.nanoTime() < deadline)
                    consumer.poll(Duration.ofMillis(200)).forEach(consumed::add);
            }
            assertEquals(8, consumed.size());
            assertEquals(8, traffic.recordsOut(), "Fetch counts from the fetch offset, not the batch start");
            assertTrue(traffic.bytesOut() > 0);

            kafka.broker.reader().read("metered", 0, 10, 100);
            assertEquals(10, traffic.recordsOut(), "REST reads count too");
        }
    }

    @Test
    void countsAndTimesRequestsPerApiAndCountsOpenConnections() throws Exception {
        try (RunningKafkaBroker kafka = new RunningKafkaBroker(dir)) {
            kafka.broker.topicAdministration().create(new NewTopic("timed", 1, (short) 1, Map.of()));
            BrokerMetrics metrics = kafka.broker.metrics();
            assertEquals(0, metrics.openConnections());

            try (KafkaProducer<String, String> producer = kafka.producer(new Properties())) {
                producer.send(new ProducerRecord<>("timed", "k", "v")).get();
                assertTrue(metrics.openConnections() >= 1, "the producer's connection is open");
                assertEquals(1, metrics.requests(ApiKeys.PRODUCE).count());
                assertTrue(metrics.requests(ApiKeys.PRODUCE).sumSeconds() > 0);
                assertTrue(metrics.requests(ApiKeys.METADATA).count() >= 1);
                assertEquals(0, metrics.requests(ApiKeys.FETCH).count());
            }
        }
    }

    @Test
    void lagPerGroupAndPartitionFollowsCommitsAndAppends() throws Exception {
        try (RunningKafkaBroker kafka = new RunningKafkaBroker(dir)) {
            kafka.broker.topicAdministration().create(new NewTopic("lagging", 2, (short) 1, Map.of()));
            kafka.broker.writer().append("lagging", List.of(record("a"), record("b"), record("c")));
            TopicPartition p0 = new TopicPartition("lagging", 0);
            Properties group = new Properties();
            group.put(ConsumerConfig.GROUP_ID_CONFIG, "billing");
            try (KafkaConsumer<String, String> consumer = kafka.consumer(group)) {
                consumer.assign(List.of(p0));
                consumer.commitSync(Map.of(p0, new OffsetAndMetadata(1)));
            }

            List<PartitionLag> lag = kafka.broker.groupAdmin().lagOfEveryGroup().get("billing");
            assertEquals(1, lag.size());
            assertEquals(p0, lag.get(0).partition());
            assertEquals(2, lag.get(0).lag().getAsLong());

            kafka.broker.writer().append("lagging", List.of(record("d")));
            assertEquals(3, kafka.broker.groupAdmin().lagOfEveryGroup().get("billing").get(0).lag().getAsLong());
            assertEquals(0, kafka.broker.hostedReplicas().underReplicatedPartitionCount(), "one broker: every ISR is full");
            assertEquals(0, kafka.broker.hostedReplicas().offlinePartitionCount());
        }
    }

    private static NewRecord record(String value) {
        return new NewRecord(OptionalInt.of(0), null, value.getBytes(StandardCharsets.UTF_8), List.of(),
                OptionalLong.empty());
    }
}
