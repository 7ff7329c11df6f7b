package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.kafka.handlers.FetchPurgatory;
import dev.tributary.broker.topic.NewTopic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetch long polling: an idle consumer's fetches wait on the broker instead of spinning, and appends wake them. */
class FetchLongPollingTest {

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;
    private final TopicPartition tp = new TopicPartition("idle", 0);

    @BeforeEach
    void start() {
        kafka = new RunningKafkaBroker(dataDir);
        kafka.broker.topicAdministration().create(new NewTopic("idle", 1, (short) 1, Map.of()));
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    @Test
    void idleConsumerWaitsOnTheBrokerInsteadOfBusyLooping() {
        Properties props = new Properties();
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "400");
        try (KafkaConsumer<String, String> consumer = kafka.consumer(props)) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 0);
            long fetchesBefore = kafka.kafka.requestCount(ApiKeys.FETCH);
            long pollStarted = System.nanoTime();
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            consumer.poll(Duration.ofMillis(2_000)).forEach(records::add);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pollStarted);
            long fetches = kafka.kafka.requestCount(ApiKeys.FETCH) - fetchesBefore;

            assertTrue(records.isEmpty());
            // Each fetch is parked for fetch.max.wait.ms: at most one per 400 ms of polling (plus the one in
            // flight at either end). A broker answering empty fetches at once would see hundreds here.
            assertTrue(fetches >= 1, "the consumer fetched");
            assertTrue(fetches <= elapsedMs / 400 + 2, fetches + " fetches in " + elapsedMs + " ms");
            FetchPurgatory.Stats stats = kafka.kafka.delayedFetchStats();
            assertTrue(stats.expired() >= 1, "fetches were parked until max.wait.ms expired: " + stats);
            assertEquals(0, stats.completedByData());
        }
    }

    @Test
    void anAppendCompletesAParkedFetchBeforeItsMaxWait() throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "25000");
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "40000");
        KafkaConsumer<String, String> consumer = kafka.consumer(props);
        try (KafkaProducer<String, String> producer = kafka.producer(new Properties())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 0);
            CompletableFuture<Void> produced = CompletableFuture.runAsync(() -> {
                awaitParkedFetch();
                try {
                    producer.send(new ProducerRecord<>("idle", 0, "k", "wake up")).get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (records.isEmpty() && System.nanoTime() < deadline)
                consumer.poll(Duration.ofMillis(20_000)).forEach(records::add);
            produced.get(5, TimeUnit.SECONDS);

            // Received well before the 25 s max wait: only the append can have completed the parked fetch.
            assertEquals(List.of("wake up"), records.stream().map(ConsumerRecord::value).toList());
            assertTrue(kafka.kafka.delayedFetchStats().completedByData() >= 1);
        } finally {
            // its next fetch is parked for 25 s; do not wait for it
            consumer.close(CloseOptions.timeout(Duration.ofMillis(200)));
        }
    }

    /** Waits (bounded) until the consumer's fetch is parked, so the append under test is what wakes it. */
    private void awaitParkedFetch() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (kafka.kafka.delayedFetchStats().parked() == 0) {
            if (System.nanoTime() > deadline)
                throw new AssertionError("no fetch was parked");
            Thread.onSpinWait();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
