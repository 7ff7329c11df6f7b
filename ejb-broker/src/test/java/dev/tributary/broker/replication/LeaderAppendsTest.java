package dev.tributary.broker.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.log.LogAppendInfo;
import dev.tributary.broker.testing.LocalTopics;
import dev.tributary.broker.topic.BrokerTopics;
import dev.tributary.broker.topic.NewTopic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader-write policy on real logs, with the in-sync replicas scripted by the test: what each acks waits for,
 * what is refused before anything is written, and the timeout.
 */
class LeaderAppendsTest {

    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);
    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;
    private LocalTopics local;
    private BrokerTopics topics;
    private final ScriptedIsr isr = new ScriptedIsr();
    private LeaderAppends appends;

    /** In-sync replicas that refuse and replicate only when the test says so. */
    private static final class ScriptedIsr implements InSyncReplicas {
        final Map<TopicPartition, Boolean> tooFew = new ConcurrentHashMap<>();
        final Map<TopicPartition, CompletableFuture<Void>> replicated = new ConcurrentHashMap<>();
        final Map<TopicPartition, Long> awaitedEnd = new ConcurrentHashMap<>();

        @Override
        public void checkEnoughReplicas(TopicPartition tp) {
            if (tooFew.containsKey(tp))
                throw new NotEnoughReplicasException(tp + " has too few in-sync replicas");
        }

        @Override
        public CompletableFuture<Void> awaitReplicated(TopicPartition tp, long endOffset) {
            awaitedEnd.put(tp, endOffset);
            return replicated.computeIfAbsent(tp, key -> new CompletableFuture<>());
        }
    }

    @BeforeEach
    void open() {
        local = LocalTopics.open(dataDir, Clock.systemUTC());
        topics = local.topics();
        topics.administration().create(new NewTopic("orders", 2, (short) 1, Map.of()));
        appends = new LeaderAppends(topics.replicas(), isr);
    }

    @AfterEach
    void close() {
        local.close();
    }

    private static MemoryRecords records(String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++)
            records[i] = new SimpleRecord(values[i].getBytes(StandardCharsets.UTF_8));
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    private long logEnd(TopicPartition tp) {
        return topics.replicas().leaderLog(tp.topic(), tp.partition()).logEndOffset();
    }

    @Test
    void acksLeaderIsAcknowledgedOnceAppendedWithoutAskingTheInSyncReplicas() throws Exception {
        PendingAppend pending = appends.append(P0, records("a", "b"), RequiredAcks.LEADER, LONG);

        CompletableFuture<LogAppendInfo> completion = pending.completion();
        assertTrue(completion.isDone());
        assertSame(pending.appended(), completion.get());
        assertEquals(0, pending.appended().firstOffset());
        assertEquals(1, pending.appended().lastOffset());
        assertEquals(Map.of(), isr.awaitedEnd, "acks=1 never waits for the followers");
    }

    @Test
    void acksAllIsAcknowledgedOnlyOnceTheInSyncReplicasHoldTheRecords() throws Exception {
        appends.append(P0, records("a"), RequiredAcks.LEADER, LONG);
        PendingAppend pending = appends.append(P0, records("b", "c"), RequiredAcks.ALL, LONG);

        CompletableFuture<LogAppendInfo> completion = pending.completion();
        assertFalse(completion.isDone());
        assertEquals(3L, isr.awaitedEnd.get(P0), "waits for the records below the end of this append");
        isr.replicated.get(P0).complete(null);
        assertEquals(1, completion.get(30, TimeUnit.SECONDS).firstOffset());
    }

    @Test
    void acksAllIsRefusedBeforeAnythingIsWrittenWhileTooFewReplicasAreInSync() {
        isr.tooFew.put(P0, true);

        assertThrows(NotEnoughReplicasException.class, () -> appends.append(P0, records("a"), RequiredAcks.ALL, LONG));
        assertEquals(0, logEnd(P0), "nothing was written");
        appends.append(P0, records("a"), RequiredAcks.LEADER, LONG);
        assertEquals(1, logEnd(P0), "acks=1 does not ask how many replicas are in sync");
    }

    @Test
    void checkWritableRefusesTheWholeSetIfAnyOfItWouldBeRefused() {
        isr.tooFew.put(P1, true);

        assertThrows(NotEnoughReplicasException.class, () -> appends.checkWritable(List.of(P0, P1), RequiredAcks.ALL));
        assertThrows(UnknownTopicOrPartitionException.class,
                () -> appends.checkWritable(List.of(P0, new TopicPartition("other", 0)), RequiredAcks.ALL));
        appends.checkWritable(List.of(P0, P1), RequiredAcks.LEADER);
        assertEquals(0, logEnd(P0) + logEnd(P1), "a check writes nothing");
    }

    @Test
    void replicationSlowerThanTheTimeoutFailsTheAppendWithTimeoutAndLeavesTheRecordsInTheLog() {
        PendingAppend pending = appends.append(P0, records("a"), RequiredAcks.ALL, Duration.ofMillis(50));

        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> pending.completion().get(30, TimeUnit.SECONDS));
        TimeoutException timeout = assertInstanceOf(TimeoutException.class, failed.getCause());
        assertTrue(timeout.getMessage().contains("orders-0") && timeout.getMessage().contains("50 ms"),
                timeout.getMessage());
        assertEquals(1, logEnd(P0), "the records stay in the leader's log and may still be committed");
    }

    @Test
    void onlyTheLeaderAppendsAndAnIdNamesOnlyItsOwnTopic() {
        topics.administration().liveBrokersFrom(() -> List.of(0, 1));
        topics.administration().create(new NewTopic("spread", 2, (short) 1, Map.of()));
        int theirs = topics.metadata().leadership("spread", 0).leader() == 1 ? 0 : 1;
        Uuid orders = topics.metadata().describe("orders").topicId();

        assertThrows(NotLeaderOrFollowerException.class, () -> appends.append(new TopicPartition("spread", theirs),
                records("a"), RequiredAcks.LEADER, LONG));
        assertThrows(UnknownTopicIdException.class,
                () -> appends.append(Uuid.randomUuid(), 0, records("a"), RequiredAcks.LEADER, LONG));
        assertEquals(P1, appends.append(orders, 1, records("a"), RequiredAcks.LEADER, LONG).partition());
        assertEquals(1, logEnd(P1));
    }

    @Test
    void awaitAllThrowsAFailureOfAnyAppend() {
        isr.replicated.put(P0, CompletableFuture.completedFuture(null));
        isr.replicated.put(P1, CompletableFuture.failedFuture(new NotEnoughReplicasAfterAppendException("shrank")));
        List<PendingAppend> pending = List.of(appends.append(P0, records("a"), RequiredAcks.ALL, LONG),
                appends.append(P1, records("b"), RequiredAcks.ALL, LONG));

        assertThrows(NotEnoughReplicasAfterAppendException.class, () -> PendingAppend.awaitAll(pending));
    }

    @Test
    void recordsFoundFromAnEarlierAttemptAreAwaitedAsAFreshAppend() throws Exception {
        LogAppendInfo earlier = appends.append(P0, records("a", "b"), RequiredAcks.LEADER, LONG).appended();

        CompletableFuture<LogAppendInfo> retry = appends.appendedEarlier(P0, earlier, RequiredAcks.ALL, LONG)
                .completion();
        assertFalse(retry.isDone());
        assertEquals(2L, isr.awaitedEnd.get(P0));
        isr.replicated.get(P0).complete(null);
        assertSame(earlier, retry.get(30, TimeUnit.SECONDS));
        assertEquals(2, logEnd(P0), "nothing was appended again");
    }

    @Test
    void makeDurableFsyncsWhatTheFlushPolicyLeavesUnflushed() {
        topics.administration().create(new NewTopic("lazy", 1, (short) 1,
                Map.of("flush.messages", Long.toString(Long.MAX_VALUE))));
        PendingAppend pending = appends.append(new TopicPartition("lazy", 0), records("a", "b"), RequiredAcks.LEADER,
                LONG);
        assertEquals(0, topics.replicas().leaderLog("lazy", 0).recoveryPoint(), "not fsynced by the policy");

        pending.makeDurable();
        assertEquals(2, topics.replicas().leaderLog("lazy", 0).recoveryPoint());
    }
}
