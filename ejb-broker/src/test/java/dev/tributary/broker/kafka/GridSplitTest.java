package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tributary.broker.replication.ReplicationConfig;
import dev.tributary.broker.testing.Conditions;
import dev.tributary.broker.topic.PartitionLeadership;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The issue-16 split, in one JVM: the controller's broker is cut off from the data grid alone (its database and
 * Kafka traffic still flow). Alone it sees one broker of three, so it gives the controller lease up and neither
 * elects nor shrinks an ISR; the two others take the lease over; since the cut-off broker's session lives on, it
 * stays a leader and a replica in sync (followers fetch from it at the address it recorded), so no partition moves
 * and acks=all writes go on. After the heal its view is whole again, and nothing moves either.
 */
class GridSplitTest extends LocalClusterTest {

    private static final String TOPIC = "split";
    private static final ReplicationConfig FAST_SESSIONS = ReplicationConfig.defaults().withBrokerSession(3_000, 300);

    @Test
    void aControllerCutOffFromTheGridAloneStopsActingAndNothingMoves() throws Exception {
        cluster = new LocalCluster(root, 3, FAST_SESSIONS);
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get();
        }
        Conditions.await("one broker holds the controller lease", () -> controllers().size() == 1);
        LocalCluster.Member controller = controllers().get(0);
        produce(20);
        List<PartitionLeadership> before = leadership();

        cluster.isolateFromGrid(controller);
        Conditions.await("another broker took the controller lease over", () -> controllers().size() == 1
                && controllers().get(0) != controller);
        assertFalse(controller.running().broker.session().seesMajority(), "alone, it sees one broker of three");
        produce(20); // acks=all still acknowledged: every replica still fetches, nothing was fenced
        assertEquals(before, leadership(), "no leader, epoch or ISR changed: the cut-off broker's session lives");

        cluster.healGrid(controller);
        Conditions.await("its view is whole again", () -> controller.running().broker.liveBrokers().brokers().size() == 3
                && controller.running().broker.session().seesMajority());
        produce(20);
        assertEquals(before, leadership(), "the heal moved nothing either");
        assertEquals(1, controllers().size(), "one controller");
    }

    private List<LocalCluster.Member> controllers() {
        return cluster.members().stream().filter(m -> m.running().broker.isController()).collect(Collectors.toList());
    }

    private List<PartitionLeadership> leadership() {
        cluster.refreshAll();
        return cluster.any().broker.topicMetadata().leadership().stream().filter(p -> p.topic().equals(TOPIC))
                .toList();
    }

    private void produce(int records) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", cluster.bootstrap());
        props.put("acks", "all");
        props.put("delivery.timeout.ms", "30000");
        props.put("request.timeout.ms", "10000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < records; i++)
                producer.send(new ProducerRecord<>(TOPIC, "k" + i, "v" + i)).get();
        }
    }
}
