package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.topic.CompactionState;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.replication.ReplicationConfig;
import dev.tributary.broker.testing.Conditions;
import dev.tributary.broker.topic.PartitionLeadership;
import java.time.Duration;
import java.util.HashMap;
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
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A compacted topic on three replicas ({@link LocalCluster}): every replica compacts its own log, a follower that was
 * down while the leader compacted catches up by fetching across the gaps and rejoins the ISR, and after the leader
 * dies a consumer reads the latest value of every key from the new leader.
 */
class CompactedReplicationTest extends LocalClusterTest {

    private static final String TOPIC = "table";

    @Test
    void everyReplicaCompactsOnItsOwnAndAFollowerCatchesUpAcrossTheLeadersGaps() throws Exception {
        cluster = new LocalCluster(root, 3, ReplicationConfig.defaults(), CompactedTopicTest.FAST_CLEANER);
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3).configs(CompactedTopicTest.COMPACTED)))
                    .all().get();
        }
        cluster.refreshAll();
        Conditions.await("two brokers follow the partition", () -> cluster.members().stream()
                .filter(m -> m.running().broker.replicas().following().size() == 1).count() == 2);
        int leader = leadership().leader();
        LocalCluster.Member late = cluster.members().stream().filter(m -> m.brokerId() != leader).findFirst()
                .orElseThrow();
        LocalCluster.Member stayed = cluster.members().stream()
                .filter(m -> m.brokerId() != leader && m.brokerId() != late.brokerId()).findFirst().orElseThrow();
        cluster.crash(late);
        Conditions.await("the stopped follower left the ISR", () -> {
            cluster.refreshAll();
            return leadership().isr().size() == 2;
        });

        Map<String, String> expected = produce(0, 30);
        PartitionLog leaderLog = replica(cluster.byBrokerId(leader));
        Conditions.await("the leader compacted", () -> compacted(cluster.byBrokerId(leader)),
                () -> "status " + status(cluster.byBrokerId(leader)));
        Conditions.await("the follower that stayed compacted its own log", () -> compacted(stayed),
                () -> "status " + status(stayed));
        long firstKept = CompactedRecords.readAll(leaderLog).get(0).offset();
        assertTrue(firstKept > 0, "the leader's log starts with a gap");

        LocalCluster.Member back = cluster.start(late.index());
        Conditions.await("the returning follower caught up across the gaps and is in sync again", () -> {
            cluster.refreshAll();
            return replica(back).logEndOffset() == leaderLog.logEndOffset()
                    && leadership().isr().contains(back.brokerId());
        }, () -> "follower at " + replica(back).logEndOffset() + ", leader at " + leaderLog.logEndOffset()
                + ", " + leadership());
        assertEquals(firstKept, CompactedRecords.readAll(replica(back)).get(0).offset(),
                "the follower's log has the leader's gaps");
        for (LocalCluster.Member member : cluster.members())
            assertEquals(CompactedRecords.latestByKey(CompactedRecords.readAll(leaderLog)),
                    CompactedRecords.latestByKey(CompactedRecords.readAll(replica(member))),
                    "broker " + member.brokerId() + " holds the same latest records at the same offsets");

        expected.putAll(produce(30, 5)); // all three in sync: acks=all needs each of them
        cluster.crash(cluster.byBrokerId(leader));
        Conditions.await("another replica leads", () -> {
            cluster.refreshAll();
            PartitionLeadership now = leadership();
            return now.hasLeader() && now.leader() != leader;
        });
        LocalCluster.Member newLeader = cluster.byBrokerId(leadership().leader());
        Conditions.await("the new leader's high watermark covers every acknowledged record (a follower learns the"
                + " last one from the next fetch)", () -> replica(newLeader).highWatermark() == 350,
                () -> "high watermark " + replica(newLeader).highWatermark());
        assertEquals(expected, consumeAll(), "the new leader serves the latest value of every key");
    }

    private PartitionLeadership leadership() {
        return cluster.any().broker.topicMetadata().leadership(TOPIC, 0);
    }

    private static PartitionLog replica(LocalCluster.Member member) {
        return member.running().broker.hostedReplicas().replicaLog(TOPIC, 0);
    }

    private static Optional<CompactionState> status(LocalCluster.Member member) {
        return member.running().broker.topicMetadata().describe(TOPIC).partitions().get(0).cleaner();
    }

    private static boolean compacted(LocalCluster.Member member) {
        Optional<CompactionState> status = status(member);
        return status.isPresent() && status.get().lastCleanedAtMs().isPresent() && status.get().dirtyRatio() == 0.0
                && CompactedRecords.readAll(replica(member)).size() < 300 / 2;
    }

    /** Writes {@code rounds} rounds of 10 keys with acks=all; returns the latest value of each. */
    private Map<String, String> produce(int firstRound, int rounds) throws Exception {
        Map<String, String> latest = new HashMap<>();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = cluster.any().producer(props)) {
            for (int round = firstRound; round < firstRound + rounds; round++) {
                for (int k = 0; k < 10; k++) {
                    producer.send(new ProducerRecord<>(TOPIC, 0, "key-" + k, "v" + round + "-" + k)).get();
                    latest.put("key-" + k, "v" + round + "-" + k);
                }
            }
        }
        return latest;
    }

    private Map<String, String> consumeAll() {
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        Properties props = new Properties();
        props.put("bootstrap.servers", cluster.bootstrap());
        Map<String, String> latest = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = cluster.any().consumer(props)) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200)))
                    latest.put(record.key(), record.value());
            }
        }
        return latest;
    }
}
