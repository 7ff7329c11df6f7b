package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.kafka.security.QuotaConfig;
import dev.tributary.broker.topic.NewTopic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Byte-rate quotas as stock clients see them: throttle_time_ms in their responses, and every record still lands. */
class QuotaThrottlingTest {

    private static final int RECORDS = 60;
    private static final String VALUE = "q".repeat(1000);

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;

    @BeforeEach
    void start() {
        kafka = new RunningKafkaBroker(dataDir, KafkaListenerConfig.of("127.0.0.1", 0)
                .withQuotas(new QuotaConfig(10_000, 10_000, 50)));
        kafka.broker.topicAdministration().create(new NewTopic("quota", 1, (short) 1, Map.of()));
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    @Test
    void producersAndConsumersOverTheirQuotaAreToldToWaitAndStillGetEverything() {
        Properties batching = new Properties();
        batching.put(ProducerConfig.LINGER_MS_CONFIG, "50");
        try (KafkaProducer<String, String> producer = kafka.producer(batching)) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>("quota", VALUE));
            }
            producer.flush();
            assertTrue(metric(producer.metrics(), "produce-throttle-time-max") > 0, "60 kB in well under a second at 10 kB/s");
        }
        int read = 0;
        try (KafkaConsumer<String, String> consumer = kafka.consumer(new Properties())) {
            TopicPartition partition = new TopicPartition("quota", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (read < RECORDS && System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(500)).count();
            }
            assertTrue(metric(consumer.metrics(), "fetch-throttle-time-max") > 0, "60 kB in well under a second at 10 kB/s");
        }
        assertEquals(RECORDS, read);
    }

    private static double metric(Map<MetricName, ? extends Metric> metrics, String name) {
        return metrics.entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .filter(v -> !Double.isNaN(v)).max().orElse(0);
    }
}
