package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.it.jcabench.InVmSends;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: the JCA in-VM send benchmark (`bench/jca-invm.sh`), run only with {@code -Dtributary.bench=true}.
 * One broker process with a benchmark application beside it; in-VM sends (sync and async, 100 B and 1 KiB) and
 * send→onRecord latency through the resource adapter, then the same records through the Kafka protocol with a
 * stock producer (default settings: idempotent, acks=all; linger.ms=5, batch.size=65536 as in kafka-perf.sh) against
 * the same broker. Prints {@code RESULT} lines.
 */
@EnabledIfSystemProperty(named = "tributary.bench", matches = "true")
class JcaInVmBenchmark {

    private static final int ROUNDS = 3;

    @Test
    void inVmSendsAgainstTheKafkaProtocol() throws Exception {
        Path work = ItEnvironment.workDir("jca-bench");
        WebArchive archive = ShrinkWrap.create(WebArchive.class, "jca-bench.war").addPackage(InVmSends.class.getPackage());
        Path war = work.resolve(archive.getName());
        archive.as(ZipExporter.class).exportTo(war.toFile(), true);
        try (MicroBroker broker = MicroBroker.start(work.resolve("data"), work.resolve("server.log"), List.of(war))) {
            RestClient rest = broker.client();
            RestClient bench = new RestClient(broker.serverBase().resolve("jca-bench/bench/"));
            int topicNumber = 0;
            for (int size : new int[] {100, 1024}) {
                int asyncCount = size == 100 ? 500_000 : 200_000;
                for (int round = 1; round <= ROUNDS; round++) {
                    String t = createTopic(rest, "bench-" + topicNumber++);
                    result(size, round, "jca-sync", bench.post("throughput?topic=" + t + "&mode=sync&count=20000&size="
                            + size, ""));
                    t = createTopic(rest, "bench-" + topicNumber++);
                    result(size, round, "jca-async", bench.post("throughput?topic=" + t + "&mode=async&count="
                            + asyncCount + "&size=" + size, ""));
                    t = createTopic(rest, "bench-" + topicNumber++);
                    System.out.printf("RESULT phase=kafka-protocol-async size=%d round=%d %s%n", size, round,
                            kafkaProduce(broker.kafkaBootstrap(), t, asyncCount, size));
                }
            }
            createTopic(rest, "bench-latency");
            bench.post("latency?count=500", ""); // warm-up; the first records wait for the group to form
            for (int round = 1; round <= ROUNDS; round++)
                result(100, round, "jca-send-to-onRecord", bench.post("latency?count=2000", ""));
        }
    }

    private static void result(int size, int round, String phase, RestClient.Reply reply) {
        assertEquals(200, reply.status(), reply::toString);
        System.out.printf("RESULT phase=%s size=%d round=%d %s%n", phase, size, round, reply.body());
    }

    private static String createTopic(RestClient rest, String name) {
        RestClient.Reply reply = rest.post("topics", "{\"name\":\"" + name + "\",\"partitions\":1}");
        assertEquals(201, reply.status(), reply::toString);
        return name;
    }

    private static String kafkaProduce(String bootstrap, String topic, int count, int size) throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.putAll(ItEnvironment.kafkaLogin());
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        byte[] value = new byte[size];
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            producer.partitionsFor(topic); // metadata before the clock starts, as the in-VM factory has it
            long start = System.nanoTime();
            for (int i = 0; i < count; i++)
                producer.send(new ProducerRecord<>(topic, value));
            producer.flush();
            double recordsPerSecond = count * 1e9 / (System.nanoTime() - start);
            return String.format("rec_s=%.0f MB_s=%.1f", recordsPerSecond, recordsPerSecond * size / 1e6);
        }
    }
}
