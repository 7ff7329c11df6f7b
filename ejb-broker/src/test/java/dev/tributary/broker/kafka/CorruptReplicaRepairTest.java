package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.log.LogCorruptionException;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.replication.ReplicationConfig;
import dev.tributary.broker.server.Broker;
import dev.tributary.broker.testing.Conditions;
import dev.tributary.broker.testing.Corruption;
import dev.tributary.broker.topic.PartitionLeadership;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Three brokers in one JVM; one replica of a partition (replication factor 3, {@code min.insync.replicas=2}) gets 16
 * flipped bytes in an old segment while the cluster runs. The scrubber finds them, the replica leaves the ISR and
 * fetches the damaged range again, and a stock Kafka consumer reading from the repaired replica gets every
 * acknowledged record, with no CRC error.
 */
class CorruptReplicaRepairTest extends LocalClusterTest {

    private static final String TOPIC = "scrubbed";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    private void startCluster() throws Exception {
        cluster = new LocalCluster(root, 3, ReplicationConfig.defaults());
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3).configs(Map.of("min.insync.replicas", "2",
                    "segment.bytes", "1024")))).all().get();
        }
        cluster.refreshAll();
        Conditions.await("both followers follow", () -> cluster.members().stream()
                .filter(m -> m.running().broker.replicas().following().containsKey(TP)).count() == 2);
    }

    @Test
    void aCorruptLeaderHandsOverLeadershipThenFetchesTheDamagedRangeAgain() throws Exception {
        startCluster();
        List<String> acknowledged = produceOneByOne(0, 150);
        int leader = leadership().leader();
        Broker damaged = cluster.byBrokerId(leader).running().broker;
        Corruption.DamagedBatch batch = Corruption.flipBytesInOldSegment(partitionDir(damaged), 2);

        damaged.logScrubber().scrubAll();

        Conditions.await("another replica leads", () -> leadership().hasLeader() && leadership().leader() != leader,
                () -> leadership().toString());
        awaitRepaired(damaged);
        assertEquals(1, damaged.metrics().logIntegrity().corruptBatches());
        acknowledged.addAll(produceOneByOne(150, 50));

        Conditions.await("the repaired replica leads again", () -> {
            damaged.electPreferredLeaders();
            return leadership().leader() == leader;
        }, () -> leadership().toString());
        assertEquals(acknowledged, consumeAll(), "every acknowledged record, read from the repaired replica");
        assertTrue(batch.baseOffset() < acknowledged.size());
    }

    @Test
    void aCorruptFollowerLeavesTheIsrAndFetchesTheDamagedRangeAgain() throws Exception {
        startCluster();
        List<String> acknowledged = produceOneByOne(0, 150);
        PartitionLeadership before = leadership();
        int follower = before.replicas().stream().filter(id -> id != before.leader()).findFirst().orElseThrow();
        Broker damaged = cluster.byBrokerId(follower).running().broker;
        Corruption.flipBytesInOldSegment(partitionDir(damaged), 2);

        damaged.logScrubber().scrubAll();

        awaitRepaired(damaged);
        assertEquals(before.leader(), leadership().leader(), "the leader stays");
        assertTrue(leadership().partitionEpoch() >= before.partitionEpoch() + 2, "it left the ISR and came back: "
                + before + " then " + leadership());
        acknowledged.addAll(produceOneByOne(150, 50));
        Conditions.await("the follower has the new records too",
                () -> replica(damaged).highWatermark() == acknowledged.size());
        assertEquals(acknowledged, damaged.reader().read(TOPIC, 0, 0, 1000).records().stream()
                .map(record -> new String(record.value(), StandardCharsets.UTF_8)).toList(),
                "its replica, read with every batch checked");

        // With the other two gone, the repaired replica is the one left to lead, and a consumer reads from it.
        for (LocalCluster.Member other : cluster.members()) {
            if (other.brokerId() != follower)
                cluster.crash(other);
        }
        Conditions.await("the repaired replica leads", () -> leadership().leader() == follower,
                () -> leadership().toString());
        assertEquals(acknowledged, consumeAll());
    }

    /** Out of service, out of the ISR, truncated, caught up and back in the ISR. */
    private void awaitRepaired(Broker damaged) {
        int id = damaged.identity().brokerId();
        Conditions.await("broker " + id + "'s replica is repaired and back in the ISR", () -> {
            cluster.refreshAll();
            PartitionLeadership now = leadership();
            Optional<PartitionLog> repaired = servingReplica(damaged);
            Optional<PartitionLog> leading = servingReplica(cluster.byBrokerId(now.leader()).running().broker);
            return repaired.isPresent() && leading.isPresent() && now.isr().contains(id) && now.leader() != id
                    && repaired.get().logEndOffset() == leading.get().logEndOffset();
        }, () -> leadership().toString());
    }

    private PartitionLeadership leadership() {
        return cluster.members().get(0).running().broker.topicMetadata().leadership(TOPIC, 0);
    }

    private static PartitionLog replica(Broker broker) {
        return broker.hostedReplicas().replicaLog(TOPIC, 0);
    }

    /** The broker's replica if it serves: empty while it holds known damage. */
    private static Optional<PartitionLog> servingReplica(Broker broker) {
        try {
            return Optional.of(replica(broker));
        } catch (LogCorruptionException outOfService) {
            return Optional.empty();
        }
    }

    private static Path partitionDir(Broker broker) {
        return broker.config().dataDir().resolve("logs").resolve(TOPIC + "-0");
    }

    /** Sends records one at a time with {@code acks=all}, so that each is a batch of its own; their values. */
    private List<String> produceOneByOne(int from, int count) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        List<String> values = new ArrayList<>();
        try (KafkaProducer<String, String> producer = cluster.members().get(0).running().producer(props)) {
            for (int i = from; i < from + count; i++) {
                RecordMetadata acked = producer.send(new ProducerRecord<>(TOPIC, 0, "key-" + i, "value-" + i)).get();
                assertEquals(i, acked.offset());
                values.add("value-" + i);
            }
        }
        return values;
    }

    /** Everything from the start of the partition, with a stock consumer; a CRC error would fail the poll. */
    private List<String> consumeAll() {
        Properties props = new Properties();
        props.put("bootstrap.servers", cluster.bootstrap());
        try (KafkaConsumer<String, String> consumer = cluster.members().get(0).running().consumer(props)) {
            return RunningKafkaBroker.readToEnd(consumer, TP).stream().map(ConsumerRecord::value).toList();
        }
    }
}
