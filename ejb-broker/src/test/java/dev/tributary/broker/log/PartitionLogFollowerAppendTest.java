package dev.tributary.broker.log;

import dev.tributary.broker.metrics.BrokerMetrics;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tributary.broker.log.TestRecords.batch;
import static dev.tributary.broker.log.TestRecords.idempotentBatch;
import static dev.tributary.broker.log.TestRecords.replicate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A follower's log takes the leader's batches as they are. */
class PartitionLogFollowerAppendTest {
    private static final TopicPartition TP = new TopicPartition("orders", 0);

    @TempDir
    Path tmp;
    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private PartitionLog leader;
    private PartitionLog follower;

    private PartitionLog openLeader() {
        leader = PartitionLog.open(tmp.resolve("leader/orders-0"), TP, LogConfig.fromMap(Map.of()), clock);
        return leader;
    }

    private PartitionLog openFollower(Map<String, String> overrides) {
        follower = PartitionLog.open(tmp.resolve("follower/orders-0"), TP, LogConfig.fromMap(overrides), clock,
                new BrokerMetrics(), false);
        return follower;
    }

    @AfterEach
    void closeLogs() {
        for (PartitionLog log : new PartitionLog[]{leader, follower}) {
            if (log != null)
                log.close();
        }
    }

    private static ByteBuffer bytesOf(PartitionLog log) throws IOException {
        return replicate(log, log.logStartOffset()).buffer();
    }

    @Test
    void theLeadersBatchesAreAppendedByteForByte() throws IOException {
        openLeader();
        leader.append(batch(1L, "a", "b"));
        leader.assignLeaderEpoch(4);
        leader.append(batch(2L, "c"));
        openFollower(Map.of());
        clock.advance(60_000); // the follower's clock must not show in the batches

        LogAppendInfo info = follower.appendAsFollower(replicate(leader, 0));

        assertEquals(new LogAppendInfo(0, 2, 2L, -1, 3, info.validBytes(), false), info);
        assertEquals(3, follower.logEndOffset());
        assertEquals(bytesOf(leader), bytesOf(follower), "offsets, timestamps and leader epochs kept");
        assertEquals(new EpochEndOffset(0, 2), follower.endOffsetForEpoch(0));
        assertEquals(new EpochEndOffset(4, 3), follower.endOffsetForEpoch(4));
        assertEquals(0, follower.highWatermark(), "a follower's high watermark comes from the leader");
    }

    @Test
    void aFollowerWhoseHighWatermarkFollowsItsEndRaisesIt() throws IOException {
        openLeader();
        leader.append(batch(1L, "a", "b"));
        follower = PartitionLog.open(tmp.resolve("follower/orders-0"), TP, LogConfig.fromMap(Map.of()), clock);
        List<Long> highWatermarks = new ArrayList<>();
        follower.addAppendListener((tp, hw) -> highWatermarks.add(hw));

        follower.appendAsFollower(replicate(leader, 0));
        assertEquals(2, follower.highWatermark());
        assertEquals(List.of(2L), highWatermarks);
    }

    @Test
    void batchesBelowTheLogEndAreRefusedWithTheOffsets() throws IOException {
        openLeader();
        leader.append(batch(1L, "a", "b"));
        leader.append(batch(2L, "c", "d"));
        openFollower(Map.of());

        follower.appendAsFollower(replicate(leader, 0));
        UnexpectedAppendOffsetException behind =
                assertThrows(UnexpectedAppendOffsetException.class, () -> follower.appendAsFollower(replicate(leader, 2)));
        assertEquals(4, behind.expectedOffset());
        assertEquals(2, behind.batchBaseOffset());
        assertTrue(behind.getMessage().contains("offsets 2..3") && behind.getMessage().contains("next offset is 4"),
                behind.getMessage());
        assertEquals(4, follower.logEndOffset());
    }

    /**
     * The leader's cleaner removes whole batches, so what the leader sends from the follower's log end may start
     * later, or skip offsets between its batches: the follower keeps the same gaps (as Kafka's does).
     */
    @Test
    void gapsBeforeAndBetweenBatchesAreKeptAsTheLeaderHasThem() throws IOException {
        openLeader();
        leader.append(batch(1L, "a", "b"));
        leader.append(batch(2L, "c"));
        MemoryRecords second = replicate(leader, 2);
        leader.append(batch(3L, "d"));
        leader.append(batch(4L, "e"));
        MemoryRecords fourth = replicate(leader, 4);
        openFollower(Map.of());

        LogAppendInfo info = follower.appendAsFollower(TestRecords.concat(second, fourth));

        assertEquals(2, info.firstOffset());
        assertEquals(4, info.lastOffset());
        assertEquals(5, follower.logEndOffset());
        follower.updateHighWatermark(5);
        assertEquals(List.of(2L, 4L), TestRecords.readFrom(follower, 0, 4096).stream()
                .map(TestRecords.ReadRecord::offset).toList(), "offsets 0, 1 and 3 are gaps");
        assertThrows(UnexpectedAppendOffsetException.class,
                () -> follower.appendAsFollower(TestRecords.concat(fourth, second)), "batches must not go back");
    }

    @Test
    void aCorruptBatchIsRefused() throws IOException {
        openLeader();
        leader.append(batch(1L, "a", "b"));
        MemoryRecords records = replicate(leader, 0);
        int lastByte = records.sizeInBytes() - 1;
        records.buffer().put(lastByte, (byte) ~records.buffer().get(lastByte));
        openFollower(Map.of());

        assertThrows(CorruptRecordException.class, () -> follower.appendAsFollower(records));
        assertEquals(0, follower.logEndOffset());
    }

    @Test
    void aFollowerThatBecomesLeaderRecognisesRetriesOfProducersItReplicated() throws IOException {
        openLeader();
        LogAppendInfo original = leader.append(idempotentBatch(7L, (short) 0, 0, 1L, "a", "b"));
        leader.append(idempotentBatch(7L, (short) 0, 2, 1L, "c"));
        openFollower(Map.of());
        follower.appendAsFollower(replicate(leader, 0));

        follower.assignLeaderEpoch(1);
        LogAppendInfo retry = follower.append(idempotentBatch(7L, (short) 0, 0, 1L, "a", "b"));
        assertTrue(retry.duplicate());
        assertEquals(original.firstOffset(), retry.firstOffset());
        assertEquals(3, follower.logEndOffset());
        assertEquals(3, follower.append(idempotentBatch(7L, (short) 0, 3, 1L, "d")).firstOffset());
    }

    @Test
    void aFollowerRollsSegmentsFlushesAndTellsLogEndListeners() throws IOException {
        openLeader();
        for (int i = 0; i < 4; i++)
            leader.append(batch(i, "v" + i));
        openFollower(Map.of("segment.bytes", "100"));
        List<Long> logEnds = new ArrayList<>();
        follower.addLogEndListener((tp, leo) -> logEnds.add(leo));
        follower.addAppendListener((tp, hw) -> logEnds.add(-hw));
        long fsyncsBefore = follower.fsyncCount();

        for (long offset = 0; offset < 4; offset++)
            follower.appendAsFollower(oneBatch(replicate(leader, offset)));

        assertEquals(4, follower.segmentCount(), "one batch per 100-byte segment, as the leader's appends would");
        assertEquals(List.of(1L, 2L, 3L, 4L), logEnds, "told of every append; no high watermark rise");
        assertTrue(follower.fsyncCount() - fsyncsBefore >= 4, "flush.messages=1: every append is fsynced");
        assertEquals(4, follower.recoveryPoint());
    }

    /** The first batch of {@code records}. */
    private static MemoryRecords oneBatch(MemoryRecords records) {
        RecordBatch first = records.batches().iterator().next();
        ByteBuffer buffer = records.buffer().duplicate();
        buffer.limit(first.sizeInBytes());
        return MemoryRecords.readableRecords(buffer.slice());
    }

    @Test
    void epochsOfReplicatedBatchesSurviveARestart() throws IOException {
        openLeader();
        leader.assignLeaderEpoch(1);
        leader.append(batch(1L, "a"));
        leader.assignLeaderEpoch(3);
        leader.append(batch(2L, "b", "c"));
        openFollower(Map.of());
        follower.appendAsFollower(replicate(leader, 0));
        follower.close();

        openFollower(Map.of());
        assertEquals(new EpochEndOffset(1, 1), follower.endOffsetForEpoch(2));
        assertEquals(new EpochEndOffset(3, 3), follower.endOffsetForEpoch(3));
    }
}
