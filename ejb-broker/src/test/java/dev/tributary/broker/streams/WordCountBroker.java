package dev.tributary.broker.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.kafka.RunningKafkaBroker;
import dev.tributary.broker.topic.NewTopic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A broker with the {@link WordCountApp}'s input and output topics, the app's runs against it, and what the Streams
 * tests feed and check: input records spread over a number of keys, and the output read read_committed by one
 * consumer that keeps its position between reads, so that a test reads what each run of the app added. Closing it
 * ends the app's last run and the broker.
 */
final class WordCountBroker implements AutoCloseable {

    final RunningKafkaBroker kafka;
    private final KafkaConsumer<String, String> output;
    private StreamsProcess app;

    /** Starts {@code kafka}'s input and output topics with {@code partitions} partitions each; owns {@code kafka}. */
    WordCountBroker(RunningKafkaBroker kafka, int partitions) {
        this.kafka = kafka;
        try {
            for (String topic : List.of(WordCountApp.INPUT, WordCountApp.OUTPUT))
                kafka.broker.topicAdministration().create(new NewTopic(topic, partitions, (short) 1, Map.of()));
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        output = kafka.consumer(props);
        List<TopicPartition> assigned = new ArrayList<>();
        for (int p = 0; p < partitions; p++)
            assigned.add(new TopicPartition(WordCountApp.OUTPUT, p));
        output.assign(assigned);
        output.seekToBeginning(assigned);
    }

    /**
     * Starts a run of the app ({@link StreamsProcess#start}) with its state in {@code stateDir}; the run before it,
     * if any, must have ended.
     */
    StreamsProcess startApp(String name, Path stateDir, String guarantee, String... settings) throws Exception {
        assertTrue(app == null || !app.isAlive(), "the previous run has ended");
        app = StreamsProcess.start(name, kafka.bootstrap(), stateDir, guarantee, settings);
        return app;
    }

    /**
     * Sends input records {@code from} to {@code from + count}, record i keyed {@code word-(i * 7919 % keys)}, so
     * that the keys interleave; returns how many records each key got.
     */
    Map<String, Integer> produce(int from, int count, int keys) {
        Properties props = new Properties();
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        Map<String, Integer> sent = new HashMap<>();
        try (KafkaProducer<String, String> producer = kafka.producer(props)) {
            for (int i = from; i < from + count; i++) {
                String key = "word-" + (i * 7919 % keys);
                sent.merge(key, 1, Integer::sum);
                producer.send(new ProducerRecord<>(WordCountApp.INPUT, key, "x"));
            }
            producer.flush();
        }
        return sent;
    }

    /**
     * Reads the next {@code count} counts of the output, by key in the order they were written, and checks that
     * nothing more follows; fails if the app's current run stops or four minutes pass.
     */
    Map<String, List<Long>> readCounts(int count) {
        Map<String, List<Long>> counts = new HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        int read = 0;
        while (read < count) {
            assertTrue(System.nanoTime() < deadline, "read " + read + " of " + count + " counts");
            assertTrue(app.isAlive(), "the Streams process stopped");
            for (ConsumerRecord<String, String> record : output.poll(Duration.ofMillis(200))) {
                counts.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(Long.parseLong(record.value()));
                read++;
            }
        }
        assertTrue(output.poll(Duration.ofSeconds(2)).isEmpty(), "no count beyond the expected ones");
        return counts;
    }

    /**
     * Asserts that {@code counts} holds, for every key of {@code added}, the counts after {@code before} (0 for a
     * key not there) up to {@code before + added}, each exactly once and in order.
     */
    static void assertCountsFollowOn(Map<String, Integer> before, Map<String, Integer> added,
                                     Map<String, List<Long>> counts) {
        assertEquals(added.keySet(), counts.keySet());
        added.forEach((key, n) -> {
            long start = before.getOrDefault(key, 0);
            List<Long> sequence = counts.get(key);
            assertEquals(n, sequence.size(), "counts of " + key);
            for (int i = 0; i < n; i++)
                assertEquals(start + i + 1, sequence.get(i),
                        "count " + (start + i + 1) + " of " + key + " exactly once, in order");
        });
    }

    @Override
    public void close() {
        try {
            if (app != null)
                app.close();
            output.close();
        } finally {
            kafka.close();
        }
    }
}
