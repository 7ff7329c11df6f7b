package dev.tributary.broker.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.log.PartitionLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

/** The read-only view: what it tells of each partition, and that reading it never waits for a change. */
class TopicMetadataTest extends BrokerTopicsTest {

    @Test
    void describeGivesOffsetsOnlyOfTheReplicasThisBrokerHolds() {
        admin.liveBrokersFrom(() -> List.of(0, 1, 2));
        admin.create(new NewTopic("spread", 3, (short) 1, Map.of()));

        for (PartitionState partition : topics.describe("spread").partitions()) {
            PartitionLeadership leadership = topics.leadership("spread", partition.partition());
            assertEquals(leadership.leader(), partition.leader());
            assertEquals(leadership.replicas(), partition.replicas());
            assertEquals(leadership.isr(), partition.isr());
            assertEquals(leadership.leader() == 0 ? 0 : -1, partition.logEndOffset(),
                    "ask the leader for the offsets of partition " + partition.partition());
            assertEquals(leadership.leader() == 0 ? 0 : -1, partition.sizeBytes(),
                    "no replica here, no size known of partition " + partition.partition());
            assertEquals(Optional.empty(), partition.offlineReason());
        }
    }

    @Test
    void describeGivesTheBytesOfTheLocalReplicasSegments() {
        admin.create(new NewTopic("orders", 2, (short) 1, Map.of()));
        PartitionLog log = replicas.leaderLog("orders", 1);
        log.append(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("k".getBytes(StandardCharsets.UTF_8),
                "a value of some length".getBytes(StandardCharsets.UTF_8))));

        List<PartitionState> partitions = topics.describe("orders").partitions();
        assertEquals(0, partitions.get(0).sizeBytes());
        assertTrue(partitions.get(1).sizeBytes() > 22, "a batch holds its record and a header");
        assertEquals(log.sizeInBytes(), partitions.get(1).sizeBytes());
    }

    @Test
    void aLeaderlessPartitionIsDescribedAsOffline() {
        admin.create(new NewTopic("orders", 1, (short) 1, Map.of()));
        admin.updateLeadership(topics.leadership("orders", 0).withLeader(PartitionLeadership.NO_LEADER, List.of()));

        PartitionState partition = topics.describe("orders").partitions().get(0);
        assertEquals(PartitionLeadership.NO_LEADER, partition.leader());
        assertEquals(Optional.of("no in-sync replica is alive to lead it"), partition.offlineReason());
    }

    @Test
    void leadershipIsKnownForEveryPartitionOfEveryTopicAndNoOther() {
        admin.create(new NewTopic("orders", 2, (short) 1, Map.of()));
        admin.create(new NewTopic("payments", 1, (short) 1, Map.of()));

        assertEquals(List.of("orders", "payments"), topics.topicNames());
        assertEquals(3, topics.leadership().size());
        assertEquals(new TopicPartition("orders", 1), topics.leadership("orders", 1).topicPartition());
        assertThrows(UnknownTopicOrPartitionException.class, () -> topics.leadership("orders", 2));
        assertThrows(UnknownTopicOrPartitionException.class, () -> topics.leadership("other", 0));
        assertThrows(UnknownTopicOrPartitionException.class, () -> topics.partitionCount("other"));
        assertThrows(UnknownTopicOrPartitionException.class, () -> topics.config("other"));
    }

    @Test
    void configIsTheOverridesOverTheDefaults() {
        admin.create(new NewTopic("orders", 1, (short) 1, Map.of("retention.ms", "1000")));
        assertEquals(1000, topics.config("orders").retentionMs());
        assertEquals(604800000L, topics.config("orders").segmentMs());
    }

    @Test
    void readersDoNotWaitForAChangeInProgress() throws Exception {
        Uuid orders = admin.create(new NewTopic("orders", 1, (short) 1, Map.of())).topicId();
        CountDownLatch inCreate = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // The listener is called under the admin lock: while it waits, a create holds that lock.
        replicas.setLeadershipListener(new LeadershipListener() {
            @Override
            public void leadershipChanged(PartitionLeadership leadership, PartitionLog log) {
                if (leadership.topic().equals("blocked")) {
                    inCreate.countDown();
                    awaitQuietly(release);
                }
            }

            @Override
            public void replicaRemoved(TopicPartition partition) {
            }
        });
        CompletableFuture<TopicDescription> create = CompletableFuture.supplyAsync(
                () -> admin.create(new NewTopic("blocked", 1, (short) 1, Map.of())));
        try {
            assertTrue(inCreate.await(30, TimeUnit.SECONDS), "the create reached its listener");
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                assertEquals(List.of("blocked", "orders"), topics.topicNames());
                assertEquals(Optional.of("orders"), topics.topicName(orders));
                assertEquals(1, topics.describe("orders").partitions().size());
                assertEquals(0, topics.leadership("orders", 0).leader());
                assertEquals(0, replicas.leaderLog("orders", 0).logEndOffset());
            }, "a lookup waited for the admin lock");
        } finally {
            release.countDown();
        }
        assertEquals("blocked", create.get(30, TimeUnit.SECONDS).name());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
