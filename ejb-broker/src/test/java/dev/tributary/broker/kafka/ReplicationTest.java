package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.records.AppendedRecord;
import dev.tributary.broker.records.NewRecord;
import dev.tributary.broker.replication.ReplicationConfig;
import dev.tributary.broker.server.Broker;
import dev.tributary.broker.testing.Conditions;
import dev.tributary.broker.topic.PartitionLeadership;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.junit.jupiter.api.Test;

/**
 * Three brokers in one JVM ({@link LocalCluster}) replicating a topic of 6 partitions, replication factor 3 and
 * {@code min.insync.replicas=2}, driven by stock Kafka clients.
 */
class ReplicationTest extends LocalClusterTest {

    private static final String TOPIC = "replicated";
    private static final int PARTITIONS = 6;

    private void startCluster(ReplicationConfig replication) throws Exception {
        cluster = new LocalCluster(root, 3, replication);
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get();
        }
        cluster.refreshAll();
        // Each broker holds a replica of every partition and leads a third of them.
        Conditions.await("every broker follows the partitions it does not lead", () -> cluster.members().stream()
                .allMatch(m -> m.running().broker.replicas().following().size() == PARTITIONS * 2 / 3));
    }

    @Test
    void metadataNamesALeaderPerPartitionSpreadOverTheBrokersAndOthersRefuseToServe() throws Exception {
        startCluster(ReplicationConfig.defaults());
        Map<Integer, Integer> leaders = new HashMap<>();
        try (Admin admin = cluster.admin()) {
            TopicDescription described = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
            for (TopicPartitionInfo partition : described.partitions()) {
                assertEquals(3, partition.replicas().size());
                assertEquals(3, partition.isr().size());
                leaders.merge(partition.leader().id(), 1, Integer::sum);
            }
        }
        assertEquals(Set.of(0, 1, 2), leaders.keySet(), "leaders spread: " + leaders);

        PartitionLeadership leadership = cluster.any().broker.topicMetadata().leadership(TOPIC, 0);
        LocalCluster.Member follower = cluster.byBrokerId(leadership.replicas().get(1));
        NotLeaderOrFollowerException refused = assertThrows(NotLeaderOrFollowerException.class,
                () -> follower.running().broker.hostedReplicas().leaderLog(TOPIC, 0));
        assertTrue(refused.getMessage().contains("broker " + leadership.leader() + " does"), refused::getMessage);
    }

    @Test
    void anAcksAllWriteIsOnEveryInSyncReplicaWhenAcknowledged() throws Exception {
        startCluster(ReplicationConfig.defaults());
        List<RecordMetadata> acked = produce(600);
        for (RecordMetadata metadata : acked) {
            TopicPartition tp = new TopicPartition(TOPIC, metadata.partition());
            for (LocalCluster.Member member : cluster.members()) {
                PartitionLog replica = member.running().broker.hostedReplicas().replicaLog(TOPIC, tp.partition());
                assertTrue(replica.logEndOffset() > metadata.offset(), () -> "broker " + member.brokerId()
                        + " lacks acknowledged offset " + metadata.offset() + " of " + tp);
            }
        }
        assertEquals(600, consumeAll().size());
    }

    @Test
    void theLeadersBrokerDyingMovesLeadershipAndLosesNoAcknowledgedRecord() throws Exception {
        startCluster(ReplicationConfig.defaults());
        List<RecordMetadata> before = produce(300);
        int leader = cluster.any().broker.topicMetadata().leadership(TOPIC, 0).leader();
        cluster.crash(cluster.byBrokerId(leader));
        Conditions.await("partition 0 has a new leader", () -> {
            PartitionLeadership now = cluster.any().broker.topicMetadata().leadership(TOPIC, 0);
            return now.hasLeader() && now.leader() != leader;
        });
        PartitionLeadership moved = cluster.any().broker.topicMetadata().leadership(TOPIC, 0);
        assertTrue(moved.leaderEpoch() > 0);
        assertEquals(2, moved.isr().size(), "the dead broker left the ISR: " + moved);

        List<RecordMetadata> after = produce(300); // min.insync.replicas=2 still holds with two brokers
        List<ConsumerRecord<String, String>> consumed = consumeAll();
        assertEquals(before.size() + after.size(), consumed.size(), () -> "acknowledged " + byPartition(before)
                + " then " + byPartition(after) + "; consumed " + consumed.stream().collect(
                Collectors.groupingBy(ConsumerRecord::partition, Collectors.counting()))
                + "; leadership " + cluster.any().broker.topicMetadata().leadership());
        Map<Integer, Long> next = new HashMap<>();
        for (ConsumerRecord<String, String> record : consumed) {
            long expected = next.getOrDefault(record.partition(), 0L);
            assertEquals(expected, record.offset(), "offsets of partition " + record.partition() + " in order");
            next.put(record.partition(), expected + 1);
        }
    }

    @Test
    void acksAllIsRefusedWhileTheIsrIsBelowMinInsyncReplicas() throws Exception {
        startCluster(ReplicationConfig.defaults());
        setMinInsyncReplicas(3);
        int leader = cluster.any().broker.topicMetadata().leadership(TOPIC, 0).leader();
        LocalCluster.Member victim = cluster.members().stream().filter(m -> m.brokerId() != leader).findFirst()
                .orElseThrow();
        cluster.crash(victim);
        Conditions.await("the dead broker left partition 0's ISR", () -> {
            cluster.refreshAll();
            return cluster.any().broker.topicMetadata().leadership(TOPIC, 0).isr().size() == 2;
        });
        Properties noRetries = new Properties();
        noRetries.put(ProducerConfig.RETRIES_CONFIG, "0");
        noRetries.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        try (KafkaProducer<String, String> producer = producer(noRetries)) {
            Future<RecordMetadata> refused = producer.send(new ProducerRecord<>(TOPIC, 0, "k", "v"));
            ExecutionException e = assertThrows(ExecutionException.class, refused::get);
            assertInstanceOf(NotEnoughReplicasException.class, e.getCause());
        }
        assertEquals(0, cluster.byBrokerId(leader).running().broker.hostedReplicas().replicaLog(TOPIC, 0).logEndOffset(),
                "nothing was written");
    }

    @Test
    void aWriteThroughTheBrokersOwnWriterReturnsOnlyOnceEveryInSyncReplicaHasIt() throws Exception {
        startCluster(ReplicationConfig.defaults());
        PartitionLeadership leadership = cluster.any().broker.topicMetadata().leadership(TOPIC, 0);
        List<AppendedRecord> appended = cluster.byBrokerId(leadership.leader()).running().broker.writer()
                .append(TOPIC, 0, List.of(newRecord("a"), newRecord("b"), newRecord("c")));
        long end = appended.get(2).offset() + 1;
        for (LocalCluster.Member member : cluster.members()) {
            assertTrue(member.running().broker.hostedReplicas().replicaLog(TOPIC, 0).logEndOffset() >= end,
                    () -> "broker " + member.brokerId() + " lacks records REST or JCA saw acknowledged");
        }
    }

    @Test
    void aBrokerThatDoesNotLeadForwardsRestAndJcaWritesToTheLeaderAndServesReadsFromItsReplica() throws Exception {
        startCluster(ReplicationConfig.defaults());
        PartitionLeadership leadership = cluster.any().broker.topicMetadata().leadership(TOPIC, 0);
        Broker follower = cluster.byBrokerId(leadership.replicas().stream().filter(id -> id != leadership.leader())
                .findFirst().orElseThrow()).running().broker;

        List<AppendedRecord> one = follower.writer().append(TOPIC, 0, List.of(newRecord("a"), newRecord("b")));
        List<NewRecord> everywhere = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++)
            everywhere.add(new NewRecord(OptionalInt.of(p), null, bytes("to-" + p), List.of(), OptionalLong.empty()));
        List<AppendedRecord> spread = follower.writer().append(TOPIC, everywhere);

        assertEquals(List.of(0L, 1L), one.stream().map(AppendedRecord::offset).toList());
        assertEquals(2L, spread.get(0).offset(), "after the two records before it in partition 0");
        for (int p = 1; p < PARTITIONS; p++)
            assertEquals(0L, spread.get(p).offset(), "partition " + p);
        PartitionLog leaderLog = cluster.byBrokerId(leadership.leader()).running().broker.hostedReplicas()
                .replicaLog(TOPIC, 0);
        assertEquals(3, leaderLog.logEndOffset(), "the leader appended what the follower forwarded");
        // The follower holds them once acknowledged; its high watermark follows with its next fetch.
        assertTrue(follower.hostedReplicas().replicaLog(TOPIC, 0).logEndOffset() >= 3);
        Conditions.await("the follower learns the new high watermark",
                () -> follower.hostedReplicas().replicaLog(TOPIC, 0).highWatermark() == 3);
        assertEquals(List.of("a", "b", "to-0"), follower.reader().read(TOPIC, 0, 0, 10).records().stream()
                .map(record -> new String(record.value(), StandardCharsets.UTF_8)).toList());
    }

    @Test
    void aWriteThroughTheBrokersOwnWritersIsRefusedWhileTheIsrIsBelowMinInsyncReplicas() throws Exception {
        startCluster(ReplicationConfig.defaults());
        setMinInsyncReplicas(3);
        int leader = cluster.any().broker.topicMetadata().leadership(TOPIC, 0).leader();
        cluster.crash(cluster.members().stream().filter(m -> m.brokerId() != leader).findFirst().orElseThrow());
        Conditions.await("the dead broker left partition 0's ISR", () -> {
            cluster.refreshAll();
            return cluster.any().broker.topicMetadata().leadership(TOPIC, 0).isr().size() == 2;
        });
        Broker leading = cluster.byBrokerId(leader).running().broker;
        Broker following = cluster.members().stream().filter(m -> m.brokerId() != leader).findFirst().orElseThrow()
                .running().broker;
        List<NewRecord> toPartition0 = List.of(new NewRecord(OptionalInt.of(0), null, bytes("x"), List.of(),
                OptionalLong.empty()));
        assertThrows(NotEnoughReplicasException.class, () -> leading.writer().append(TOPIC, toPartition0));
        assertThrows(NotEnoughReplicasException.class, () -> following.writer().append(TOPIC, toPartition0),
                "the leader's refusal of a forwarded write");
        assertEquals(0, leading.hostedReplicas().replicaLog(TOPIC, 0).logEndOffset(), "nothing was written");
    }

    private static NewRecord newRecord(String value) {
        return new NewRecord(OptionalInt.empty(), null, bytes(value), List.of(), OptionalLong.empty());
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private void setMinInsyncReplicas(int replicas) throws Exception {
        try (Admin admin = cluster.admin()) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, TOPIC), List.of(
                    new AlterConfigOp(new ConfigEntry("min.insync.replicas", Integer.toString(replicas)),
                            AlterConfigOp.OpType.SET)))).all().get();
        }
    }

    private static Map<Integer, Long> byPartition(List<RecordMetadata> acked) {
        Map<Integer, Long> last = new TreeMap<>();
        acked.forEach(m -> last.merge(m.partition(), m.offset(), Math::max));
        return last;
    }

    private List<RecordMetadata> produce(int count) throws Exception {
        try (KafkaProducer<String, String> producer = producer(new Properties())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++)
                sent.add(producer.send(new ProducerRecord<>(TOPIC, "key-" + i, "value-" + i)));
            List<RecordMetadata> acked = new ArrayList<>();
            for (Future<RecordMetadata> future : sent)
                acked.add(future.get());
            return acked;
        }
    }

    private KafkaProducer<String, String> producer(Properties overrides) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putAll(overrides);
        return cluster.any().producer(props);
    }

    private List<ConsumerRecord<String, String>> consumeAll() {
        Properties props = new Properties();
        props.put("bootstrap.servers", cluster.bootstrap());
        props.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<String, String>> all = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = cluster.any().consumer(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++)
                partitions.add(new TopicPartition(TOPIC, p));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Conditions.await("consumed to the end offsets " + end, () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(all::add);
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
            }, () -> all.size() + " records so far");
        }
        assertNotEquals(0, all.size());
        return all;
    }
}
