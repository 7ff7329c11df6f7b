package dev.tributary.broker.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.log.LogConfig;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.topic.PartitionLeadership;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader's bookkeeping of one partition, on a real log with time passed in: the high watermark is the
 * smallest log end in the ISR, a follower that stops catching up is reported after {@code replica.lag.time.max.ms},
 * one that catches up may rejoin, and acks=all waits follow the ISR.
 */
class LeaderPartitionTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private static final long LAG_MS = 30_000;

    @TempDir
    Path dir;
    private PartitionLog log;
    private LeaderPartition leader;
    private final AtomicBoolean sessionActive = new AtomicBoolean(true);

    @BeforeEach
    void open() {
        log = PartitionLog.open(dir.resolve("orders-0"), TP, LogConfig.fromMap(Map.of("min.insync.replicas", "2")),
                Clock.systemUTC());
        leader = new LeaderPartition(1, PartitionLeadership.initial("orders", 0, List.of(1, 2, 3)), log, 0,
                sessionActive::get);
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void theHighWatermarkIsTheSmallestLogEndInTheIsr() {
        append(10);
        assertEquals(0, log.highWatermark(), "no follower has fetched yet");
        leader.followerFetched(2, 10, 1);
        leader.followerFetched(3, 4, 1);
        assertEquals(4, log.highWatermark());

        leader.updateIsr(leader.leadership().withIsr(List.of(1, 2)));
        assertEquals(10, log.highWatermark(), "the slow follower left the ISR: it no longer holds the mark back");
    }

    @Test
    void aFollowerThatStopsCatchingUpIsReportedAfterTheLagTime() {
        leader.followerFetched(2, 0, 0);
        leader.followerFetched(3, 0, 0);
        append(5);
        leader.followerFetched(2, 5, 20_000); // caught up to the log end
        leader.followerFetched(3, 0, 20_000); // fetching, but still where it was

        assertEquals(List.of(), leader.laggingFollowers(LAG_MS, LAG_MS));
        assertEquals(List.of(3), leader.laggingFollowers(LAG_MS + 1, LAG_MS),
                "behind since its fetch at 0, the last time it had everything");
    }

    @Test
    void aFollowerOutOfTheIsrMayRejoinOnceItReachesTheHighWatermark() {
        leader.updateIsr(leader.leadership().withIsr(List.of(1, 2)));
        append(8);
        leader.followerFetched(2, 8, 1);
        assertEquals(8, log.highWatermark());

        assertFalse(leader.followerFetched(3, 5, 2), "still behind the high watermark");
        assertTrue(leader.followerFetched(3, 8, 3), "caught up: the leader may add it to the ISR");
    }

    @Test
    void anAcksAllWaitCompletesWhenTheIsrHasTheRecordsAndFailsIfTheIsrShrankBelowTheMinimum() throws Exception {
        append(3);
        CompletableFuture<Void> first = leader.awaitReplicated(3);
        leader.followerFetched(2, 3, 1);
        assertFalse(first.isDone(), "follower 3 lacks them");
        leader.followerFetched(3, 3, 1);
        assertTrue(first.isDone());
        first.get();

        append(2);
        CompletableFuture<Void> second = leader.awaitReplicated(5);
        leader.updateIsr(leader.leadership().withIsr(List.of(1)));
        ExecutionException failed = assertThrows(ExecutionException.class, second::get);
        assertInstanceOf(NotEnoughReplicasAfterAppendException.class, failed.getCause(),
                "written, but to fewer replicas than min.insync.replicas");
        assertThrows(NotEnoughReplicasException.class, leader::checkEnoughReplicas, "the next write is refused");
    }

    @Test
    void resigningFailsTheWaitsSoProducersRetryOnTheNewLeader() {
        append(1);
        CompletableFuture<Void> waiting = leader.awaitReplicated(1);
        leader.resign();
        ExecutionException failed = assertThrows(ExecutionException.class, waiting::get);
        assertInstanceOf(NotLeaderOrFollowerException.class, failed.getCause());
        assertThrows(NotLeaderOrFollowerException.class, () -> leader.checkFollower(2, 0));
    }

    @Test
    void aLeaderWhoseSessionLapsedAcknowledgesNothingEvenOnceTheIsrHasTheRecords() throws Exception {
        append(2);
        CompletableFuture<Void> waiting = leader.awaitReplicated(2);
        sessionActive.set(false); // its heartbeats to the metadata database failed for too long
        leader.followerFetched(2, 2, 1);
        leader.followerFetched(3, 2, 1);
        ExecutionException failed = assertThrows(ExecutionException.class, waiting::get);
        assertInstanceOf(NotLeaderOrFollowerException.class, failed.getCause(),
                "the controller may have replaced it: the producer retries on whoever leads now");

        sessionActive.set(true);
        append(1);
        CompletableFuture<Void> later = leader.awaitReplicated(3);
        leader.followerFetched(2, 3, 2);
        leader.followerFetched(3, 3, 2);
        later.get(); // a renewed session acknowledges again
    }

    private void append(int records) {
        SimpleRecord[] batch = new SimpleRecord[records];
        for (int i = 0; i < records; i++)
            batch[i] = new SimpleRecord(("r" + i).getBytes(StandardCharsets.UTF_8));
        log.append(MemoryRecords.withRecords(Compression.NONE, batch));
    }
}
