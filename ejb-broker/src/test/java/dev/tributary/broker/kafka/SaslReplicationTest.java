package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.records.AppendedRecord;
import dev.tributary.broker.records.NewRecord;
import dev.tributary.broker.replication.InterBrokerLogin;
import dev.tributary.broker.replication.ReplicationConfig;
import dev.tributary.broker.server.Broker;
import dev.tributary.broker.topic.PartitionLeadership;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * Brokers whose Kafka listener takes only SASL clients log in to each other as the inter-broker user: followers
 * replicate, and writes are forwarded, as on an open listener.
 */
class SaslReplicationTest extends LocalClusterTest {

    private static final String TOPIC = "guarded";
    private static final String PASSWORD = "inter-broker-secret";

    @Test
    void followersReplicateAndWritesAreForwardedOverSaslListeners() throws Exception {
        Properties alice = SaslAuthenticationTest.sasl("SCRAM-SHA-512", "alice", "alice-secret");
        cluster = new LocalCluster(root, 2,
                ReplicationConfig.defaults().withLogin(Optional.of(new InterBrokerLogin("broker", PASSWORD))),
                KafkaListenerConfig.of("127.0.0.1", 0).withSaslMechanisms(List.of("SCRAM-SHA-512")), alice);
        Broker any = cluster.any().broker;
        any.users().save("broker", PASSWORD, Set.of());
        any.users().save("alice", "alice-secret", Set.of());
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 2)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get();
        }
        cluster.refreshAll();

        Properties props = new Properties();
        props.putAll(alice);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        RecordMetadata acked;
        try (KafkaProducer<String, String> producer = cluster.any().producer(props)) {
            acked = producer.send(new ProducerRecord<>(TOPIC, 0, "k", "v")).get();
        }
        PartitionLeadership leadership = any.topicMetadata().leadership(TOPIC, 0);
        Broker follower = cluster.byBrokerId(leadership.replicas().stream().filter(id -> id != leadership.leader())
                .findFirst().orElseThrow()).running().broker;
        assertTrue(follower.hostedReplicas().replicaLog(TOPIC, 0).logEndOffset() > acked.offset(),
                "acks=all with min.insync.replicas=2 returned only once the follower, logged in, had it");

        List<AppendedRecord> forwarded = follower.writer().append(TOPIC, 0, List.of(new NewRecord(
                OptionalInt.empty(), null, "via-follower".getBytes(StandardCharsets.UTF_8), List.of(),
                OptionalLong.empty())));
        assertEquals(acked.offset() + 1, forwarded.get(0).offset());
    }
}
