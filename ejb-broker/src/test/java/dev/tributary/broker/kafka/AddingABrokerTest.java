package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.replication.ReplicationConfig;
import dev.tributary.broker.testing.Conditions;
import dev.tributary.broker.topic.PartitionLeadership;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.BrokerNotAvailableException;
import org.junit.jupiter.api.Test;

/**
 * A fourth broker joins a cluster of three: topics created from then on place replicas and leaders on it, and
 * after it failed and came back, the rebalance call (preferred leader election) gives it its leaders back.
 */
class AddingABrokerTest extends LocalClusterTest {

    private static final String TOPIC = "after-growth";
    private static final int PARTITIONS = 8;

    @Test
    void newTopicsUseTheFourthBrokerAndRebalanceMovesLeadersBackToIt() throws Exception {
        cluster = new LocalCluster(root, 3, ReplicationConfig.defaults());
        LocalCluster.Member fourth = cluster.start(3);
        int newcomer = fourth.brokerId();
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get();
        }
        cluster.refreshAll();
        List<PartitionLeadership> placed = leadership();
        assertEquals(PARTITIONS * 3 / 4, placed.stream().filter(p -> p.replicas().contains(newcomer)).count(),
                () -> "replicas spread over four brokers: " + placed);
        List<Integer> preferredHere = partitionsLedBy(newcomer, placed);
        assertEquals(PARTITIONS / 4, preferredHere.size(), () -> "leaders spread over four brokers: " + placed);

        cluster.crash(fourth);
        Conditions.await("its partitions have other leaders", () -> partitionsLedBy(newcomer, leadership()).isEmpty());
        cluster.start(3);
        Conditions.await("the returning broker is in sync again", () -> {
            cluster.refreshAll();
            return leadership().stream().filter(p -> p.replicas().contains(newcomer))
                    .allMatch(p -> p.isr().contains(newcomer));
        });
        assertTrue(partitionsLedBy(newcomer, leadership()).isEmpty(), "nothing moves leaders back by itself");

        LocalCluster.Member nonController = cluster.members().stream()
                .filter(m -> !m.running().broker.isController()).findFirst().orElseThrow();
        assertThrows(BrokerNotAvailableException.class, () -> nonController.running().broker.electPreferredLeaders(),
                "only the holder of the controller lease moves leaders");
        LocalCluster.Member controller = cluster.members().stream()
                .filter(m -> m.running().broker.isController()).findFirst().orElseThrow();
        assertEquals(preferredHere.size(), controller.running().broker.electPreferredLeaders());
        cluster.refreshAll();
        assertEquals(preferredHere, partitionsLedBy(newcomer, leadership()));
    }

    private List<PartitionLeadership> leadership() {
        cluster.refreshAll();
        return cluster.any().broker.topicMetadata().leadership().stream().filter(p -> p.topic().equals(TOPIC)).toList();
    }

    private static List<Integer> partitionsLedBy(int brokerId, List<PartitionLeadership> leadership) {
        return leadership.stream().filter(p -> p.hasLeader() && p.leader() == brokerId)
                .map(PartitionLeadership::partition).sorted().toList();
    }
}
