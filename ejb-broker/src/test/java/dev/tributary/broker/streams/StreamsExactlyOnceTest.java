package dev.tributary.broker.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.kafka.KafkaListenerConfig;
import dev.tributary.broker.kafka.KafkaServer;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.server.Broker;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.topic.NewTopic;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Streams 4.4.0 with {@code exactly_once_v2}, in a process of its own, over a few hundred thousand records:
 * killed with SIGKILL in the middle of the run and started again, it still produces every count exactly once, as a
 * read_committed consumer of its output sees it. Streams creates its internal topics itself (its state store's
 * changelog compacted, as it asks).
 */
class StreamsExactlyOnceTest {

    private static final int RECORDS = 200_000;
    private static final int KEYS = 500;
    private static final int PARTITIONS = 3;

    @TempDir
    Path root;

    private Broker broker;
    private KafkaServer kafka;
    private Process streams;

    @AfterEach
    void stop() {
        if (streams != null)
            streams.destroyForcibly();
        if (kafka != null)
            kafka.close();
        if (broker != null)
            broker.close();
    }

    @Test
    @Timeout(300)
    void everyCountIsInTheOutputExactlyOnceAfterTheStreamsProcessIsKilled() throws Exception {
        broker = Broker.start(BrokerConfig.embedded(root.resolve("broker")), Clock.systemUTC());
        kafka = KafkaServer.start(broker, KafkaListenerConfig.of("127.0.0.1", 0), Executors.defaultThreadFactory());
        String bootstrap = "127.0.0.1:" + kafka.port();
        broker.topicAdministration().create(new NewTopic(WordCountApp.INPUT, PARTITIONS, (short) 1, Map.of()));
        broker.topicAdministration().create(new NewTopic(WordCountApp.OUTPUT, PARTITIONS, (short) 1, Map.of()));
        Map<String, Integer> expected = produceInput(bootstrap);

        streams = startStreams(bootstrap, "first");
        await("a third of the counts are committed", () -> committedOutput() >= RECORDS / 3, streams);
        streams.destroyForcibly(); // SIGKILL: no close, open transactions left behind
        assertTrue(streams.waitFor(30, TimeUnit.SECONDS));

        streams = startStreams(bootstrap, "second");
        Map<String, List<Long>> counts = new HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        try (KafkaConsumer<String, String> consumer = readCommitted(bootstrap)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++)
                partitions.add(new TopicPartition(WordCountApp.OUTPUT, p));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            int read = 0;
            while (read < RECORDS) {
                assertTrue(System.nanoTime() < deadline, "read " + read + " of " + RECORDS + " counts");
                assertTrue(streams.isAlive(), "the Streams process stopped");
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    counts.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(Long.parseLong(record.value()));
                    read++;
                }
            }
            assertTrue(consumer.poll(Duration.ofSeconds(2)).isEmpty(), "no count beyond the expected ones");
        }
        assertTrue(broker.topicMetadata().config(WordCountApp.CHANGELOG).compact(),
                "Streams created its store's changelog compacted");
        assertEquals(expected.keySet(), counts.keySet());
        expected.forEach((key, n) -> {
            List<Long> sequence = counts.get(key);
            assertEquals(n, sequence.size(), "counts of " + key);
            for (int i = 0; i < n; i++)
                assertEquals(i + 1, sequence.get(i), "count " + (i + 1) + " of " + key + " exactly once, in order");
        });
    }

    /** RECORDS records over KEYS keys; returns how many each key got. */
    private Map<String, Integer> produceInput(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        Map<String, Integer> expected = new HashMap<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < RECORDS; i++) {
                String key = "word-" + (i * 7919 % KEYS);
                expected.merge(key, 1, Integer::sum);
                producer.send(new ProducerRecord<>(WordCountApp.INPUT, key, "x"));
            }
            producer.flush();
        }
        return expected;
    }

    private long committedOutput() {
        long total = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            PartitionLog log = broker.hostedReplicas().leaderLog(WordCountApp.OUTPUT, p);
            total += log.lastStableOffset();
        }
        return total;
    }

    private Process startStreams(String bootstrap, String run) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                WordCountApp.class.getName(), bootstrap, root.resolve("streams-state").toString());
        builder.redirectErrorStream(true);
        // under target/, kept after the test for a look at what Streams did
        builder.redirectOutput(Path.of("target", "streams-eos-" + run + ".log").toFile());
        return builder.start();
    }

    private KafkaConsumer<String, String> readCommitted(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props);
    }

    private static void await(String what, BooleanSupplier condition, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            assertTrue(process.isAlive(), "the Streams process stopped before " + what);
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(50);
        }
    }

}
