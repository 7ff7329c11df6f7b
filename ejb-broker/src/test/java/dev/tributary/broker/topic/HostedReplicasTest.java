package dev.tributary.broker.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.log.PartitionLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.junit.jupiter.api.Test;

/**
 * Broker 0's replica logs in a cluster of brokers 0, 1 and 2 as the metadata describes it (the other brokers need
 * not run: only the stored leadership decides what broker 0 leads and holds).
 */
class HostedReplicasTest extends BrokerTopicsTest {

    /** What the replication layer hears, in order. */
    private final List<String> heard = new ArrayList<>();

    private final LeadershipListener recorder = new LeadershipListener() {
        @Override
        public void leadershipChanged(PartitionLeadership leadership, PartitionLog log) {
            heard.add(leadership.topicPartition() + " led by " + leadership.leader() + " at epoch "
                    + leadership.leaderEpoch() + (log == null ? " (offline)" : ""));
        }

        @Override
        public void replicaRemoved(TopicPartition partition) {
            heard.add(partition + " removed");
        }
    };

    private void inAClusterOfThree() {
        admin.liveBrokersFrom(() -> List.of(0, 1, 2));
    }

    /** The partition of {@code topic} whose preferred (and current) leader is {@code broker}. */
    private int ledBy(String topic, int broker) {
        for (PartitionLeadership leadership : topics.leadership()) {
            if (leadership.topic().equals(topic) && leadership.leader() == broker)
                return leadership.partition();
        }
        throw new AssertionError("no partition of " + topic + " is led by " + broker + ": " + topics.leadership());
    }

    @Test
    void theLeadersLogIsOnlyOnTheLeaderAndAReplicasLogOnlyOnItsReplicas() {
        inAClusterOfThree();
        Uuid id = admin.create(new NewTopic("spread", 3, (short) 1, Map.of())).topicId();
        int mine = ledBy("spread", 0);
        int theirs = ledBy("spread", 1);

        PartitionLog log = replicas.leaderLog("spread", mine);
        assertSame(log, replicas.leaderLog(id, mine));
        assertSame(log, replicas.replicaLog("spread", mine));
        NotLeaderOrFollowerException notLeader = assertThrows(NotLeaderOrFollowerException.class,
                () -> replicas.leaderLog("spread", theirs));
        assertTrue(notLeader.getMessage().contains("broker 1 does"), notLeader.getMessage());
        assertThrows(NotLeaderOrFollowerException.class, () -> replicas.leaderLog(id, theirs));
        NotLeaderOrFollowerException noReplica = assertThrows(NotLeaderOrFollowerException.class,
                () -> replicas.replicaLog("spread", theirs));
        assertTrue(noReplica.getMessage().contains("holds no replica"), noReplica.getMessage());
    }

    @Test
    void aFollowersReplicaIsReadableButNotItsLeadersLog() {
        inAClusterOfThree();
        admin.create(new NewTopic("replicated", 3, (short) 3, Map.of()));
        int followed = ledBy("replicated", 2);

        assertEquals(0, replicas.replicaLog("replicated", followed).logEndOffset());
        assertThrows(NotLeaderOrFollowerException.class, () -> replicas.leaderLog("replicated", followed));
    }

    @Test
    void theListenerHearsEveryLocalReplicaAtOnceThenEveryNewerLeadershipThenRemovals() {
        inAClusterOfThree();
        admin.create(new NewTopic("spread", 3, (short) 1, Map.of()));
        int mine = ledBy("spread", 0);
        int theirs = ledBy("spread", 1);

        replicas.setLeadershipListener(recorder);
        assertEquals(List.of("spread-" + mine + " led by 0 at epoch 0"), heard, "only the replicas held here");

        PartitionLeadership current = topics.leadership("spread", mine);
        PartitionLeadership leaderless = current.withLeader(PartitionLeadership.NO_LEADER, List.of());
        assertTrue(admin.updateLeadership(leaderless));
        assertFalse(admin.updateLeadership(leaderless), "the same partition epoch again is not news");
        assertFalse(admin.updateLeadership(current), "nor is an older one");
        assertTrue(admin.updateLeadership(topics.leadership("spread", theirs).withIsr(List.of(1))));

        admin.delete("spread");
        assertEquals(List.of("spread-" + mine + " led by 0 at epoch 0", "spread-" + mine + " led by -1 at epoch 1",
                "spread-" + mine + " removed"), heard, "nothing of the partition held elsewhere");
    }

    @Test
    void aLeaderlessPartitionIsLedByNoneAndCountsAsOffline() {
        admin.create(new NewTopic("orders", 2, (short) 1, Map.of()));
        assertEquals(0, replicas.offlinePartitionCount());
        admin.updateLeadership(topics.leadership("orders", 1).withLeader(PartitionLeadership.NO_LEADER, List.of()));

        NotLeaderOrFollowerException e = assertThrows(NotLeaderOrFollowerException.class,
                () -> replicas.leaderLog("orders", 1));
        assertTrue(e.getMessage().contains("no in-sync replica is alive"), e.getMessage());
        assertEquals(1, replicas.offlinePartitionCount());
        assertEquals(0, replicas.replicaLog("orders", 1).logEndOffset(), "the replica itself is still here");
    }

    @Test
    void partitionsLedHereWithAShrunkIsrAreUnderReplicated() {
        inAClusterOfThree();
        admin.create(new NewTopic("replicated", 3, (short) 3, Map.of()));
        assertEquals(0, replicas.underReplicatedPartitionCount());
        admin.updateLeadership(topics.leadership("replicated", ledBy("replicated", 0)).withIsr(List.of(0)));
        admin.updateLeadership(topics.leadership("replicated", ledBy("replicated", 1)).withIsr(List.of(1)));

        assertEquals(1, replicas.underReplicatedPartitionCount(), "only partitions this broker leads count");
    }
}
