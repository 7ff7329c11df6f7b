package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.log.FetchIsolation;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.replication.ReplicationConfig;
import dev.tributary.broker.testing.Conditions;
import dev.tributary.broker.topic.PartitionLeadership;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.junit.jupiter.api.Test;

/**
 * A replica whose log ran ahead of what the next leader has (records only the old leader got, with acks=1) must
 * drop that tail when it comes back as a follower, as Kafka's follower does after OffsetsForLeaderEpoch: otherwise
 * the two replicas hold different records at the same offsets. Reaching that state needs an unclean election, which
 * the topic allows here.
 */
class DivergentReplicaTest extends LocalClusterTest {

    private static final String TOPIC = "diverging";

    @Test
    void aReturningReplicaTruncatesWhatTheNewLeaderNeverHadAndCopiesWhatItWrote() throws Exception {
        cluster = new LocalCluster(root, 2, ReplicationConfig.defaults());
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 2).configs(Map.of(
                    "min.insync.replicas", "1", "unclean.leader.election.enable", "true")))).all().get();
        }
        cluster.refreshAll();
        PartitionLeadership initial = cluster.any().broker.topicMetadata().leadership(TOPIC, 0);
        LocalCluster.Member leader = cluster.byBrokerId(initial.leader());
        LocalCluster.Member follower = cluster.byBrokerId(initial.replicas().stream()
                .filter(id -> id != initial.leader()).findFirst().orElseThrow());

        produce("all", "committed-", 10);
        assertEquals(10, replica(follower).logEndOffset(), "acks=all: the follower has them");

        cluster.crash(follower);
        Conditions.await("the lost follower left the ISR", () -> {
            cluster.refreshAll();
            return cluster.any().broker.topicMetadata().leadership(TOPIC, 0).isr().equals(List.of(leader.brokerId()));
        });
        produce("1", "only-on-the-old-leader-", 5);
        assertEquals(15, replica(leader).logEndOffset());

        int leaderIndex = leader.index();
        cluster.crash(leader);
        LocalCluster.Member newLeader = cluster.start(follower.index());
        Conditions.await("the returning follower is elected, uncleanly", () ->
                newLeader.running().broker.topicMetadata().leadership(TOPIC, 0).leader() == newLeader.brokerId());
        produce("all", "new-leader-", 3);

        LocalCluster.Member returning = cluster.start(leaderIndex);
        Conditions.await("the old leader follows and catches up", () ->
                replica(returning).logEndOffset() == 13 && replica(returning).highWatermark() == 13,
                () -> "its log ends at " + replica(returning).logEndOffset());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++)
            expected.add("committed-" + i);
        for (int i = 0; i < 3; i++)
            expected.add("new-leader-" + i);
        assertEquals(expected, values(replica(newLeader)));
        assertEquals(expected, values(replica(returning)), "the same records at the same offsets");
        assertTrue(newLeader.running().broker.topicMetadata().leadership(TOPIC, 0).leaderEpoch() > initial.leaderEpoch());
    }

    private PartitionLog replica(LocalCluster.Member member) {
        return member.running().broker.hostedReplicas().replicaLog(TOPIC, 0);
    }

    private void produce(String acks, String prefix, int count) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, acks);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        try (KafkaProducer<String, String> producer = cluster.any().producer(props)) {
            for (int i = 0; i < count; i++)
                producer.send(new ProducerRecord<>(TOPIC, 0, null, prefix + i)).get();
        }
    }

    private static List<String> values(PartitionLog log) {
        List<String> values = new ArrayList<>();
        Records records = log.read(log.logStartOffset(), Integer.MAX_VALUE, FetchIsolation.LOG_END).records();
        for (RecordBatch batch : records.batches()) {
            for (Record record : batch)
                values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
        }
        return values;
    }
}
