package dev.tributary.broker.log.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Produce throughput of the {@link CompactionWorkload} (keyed 1 KiB records, 5 % tombstones) into a fresh topic with
 * a given {@code cleanup.policy}, against any Kafka-protocol broker: with {@code compact} the broker's cleaner runs
 * while the records arrive (64 MiB segments roll, and a log more than half dirty is cleaned), with {@code delete}
 * nothing does. The producer is Kafka's, as {@code kafka-perf.sh} configures it: {@code acks=all},
 * {@code linger.ms=5}, {@code batch.size=65536}, unthrottled. The topic is deleted afterwards.
 *
 * <p>Prints {@code RESULT policy=... records=... seconds=... rec_s=... MB_s=...}.
 *
 * <p>Usage: {@code KeyedProducePerformance HOST:PORT TOPIC delete|compact [SCALE]}; see {@code bench/compaction.sh}.
 */
public final class KeyedProducePerformance {

    private KeyedProducePerformance() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        String policy = args[2];
        CompactionWorkload workload = new CompactionWorkload(args.length > 3 ? Double.parseDouble(args[3]) : 1.0);
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin client = Admin.create(admin)) {
            client.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("cleanup.policy", policy,
                    "segment.bytes", Integer.toString(64 * 1024 * 1024))))).all().get();
            double seconds = produce(bootstrap, topic, workload);
            long bytes = workload.records() * (CompactionWorkload.VALUE_BYTES + 10);
            System.out.printf("RESULT policy=%s records=%d seconds=%.2f rec_s=%.0f MB_s=%.1f%n", policy,
                    workload.records(), seconds, workload.records() / seconds, bytes / 1e6 / seconds);
            client.deleteTopics(List.of(topic)).all().get();
        }
        System.exit(0);
    }

    private static double produce(String bootstrap, String topic, CompactionWorkload workload) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        CountDownLatch acked = new CountDownLatch(1);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (long i = 0; i < workload.records(); i++) {
                boolean last = i == workload.records() - 1;
                producer.send(new ProducerRecord<>(topic, 0, CompactionWorkload.key(i), workload.value(i)),
                        (metadata, e) -> {
                            if (e != null)
                                failure.compareAndSet(null, e);
                            if (last)
                                acked.countDown();
                        });
            }
            if (!acked.await(30, TimeUnit.MINUTES))
                throw new IllegalStateException("the last record was not acknowledged");
        }
        if (failure.get() != null)
            throw failure.get();
        return (System.nanoTime() - start) / 1e9;
    }
}
