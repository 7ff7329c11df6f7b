package dev.tributary.broker.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.records.NewRecord;
import dev.tributary.broker.server.Broker;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.topic.NewTopic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions over real partition logs, with crashes simulated by closing the broker at the interesting moment and
 * starting a new one over the same data directory (what a TM's recovery then sees and does).
 */
class TransactionsTest {

    @TempDir
    Path dataDir;

    @Test
    void preparedRecordsAreInvisibleUntilCommitThenAllVisibleInOrder() {
        try (Broker broker = start()) {
            List<TransactionRecord> records = List.of(record("a", 0), record("b", 1), record("c", 0));
            broker.transactions().prepare("tx-1", records);
            assertEquals(List.of(), values(broker, 0));
            assertEquals(List.of(), values(broker, 1));

            List<CommittedRecord> landed = broker.transactions().commit("tx-1");

            assertEquals(List.of(new CommittedRecord("orders", 0, 0, landed.get(0).timestamp()),
                    new CommittedRecord("orders", 1, 0, landed.get(1).timestamp()),
                    new CommittedRecord("orders", 0, 1, landed.get(2).timestamp())), landed);
            assertEquals(List.of("a", "c"), values(broker, 0));
            assertEquals(List.of("b"), values(broker, 1));
            assertEquals(List.of(), broker.transactions().prepared());
            assertThrows(IllegalStateException.class, () -> broker.transactions().commit("tx-1"));
        }
    }

    @Test
    void aCommitIsDurableWhenItReturnsEvenIfTheTopicDoesNotFsyncEveryAppend() {
        try (Broker broker = start()) {
            broker.topicAdministration().create(new NewTopic("lazy", 1, (short) 1,
                    Map.of("flush.messages", Long.toString(Long.MAX_VALUE))));
            broker.transactions().commitOnePhase(List.of(new TransactionRecord("lazy", newRecord("a", 0)),
                    new TransactionRecord("lazy", newRecord("b", 0))));
            assertEquals(2, broker.hostedReplicas().leaderLog("lazy", 0).recoveryPoint());
        }
    }

    @Test
    void rollbackLeavesNothingVisible() {
        try (Broker broker = start()) {
            broker.transactions().prepare("tx-1", List.of(record("a", 0), record("b", 1)));
            broker.transactions().rollback("tx-1");
            broker.transactions().rollback("unknown"); // ignored
            assertEquals(List.of(), values(broker, 0));
            assertEquals(List.of(), values(broker, 1));
            assertEquals(List.of(), broker.transactions().prepared());
        }
        try (Broker broker = start()) {
            assertEquals(List.of(), broker.transactions().prepared(), "a rolled-back transaction stays gone");
        }
    }

    @Test
    void unknownTopicFailsThePrepareAndPreparesNothing() {
        try (Broker broker = start()) {
            assertThrows(UnknownTopicOrPartitionException.class, () -> broker.transactions().prepare("tx-1",
                    List.of(new TransactionRecord("nope", newRecord("a", 0)))));
            assertEquals(List.of(), broker.transactions().prepared());
        }
    }

    @Test
    void aTransactionPreparedBeforeACrashIsPreparedAfterItAndCanBeCommitted() {
        try (Broker broker = start()) {
            broker.transactions().prepare("tx-commit", List.of(record("a", 0), record("b", 1)));
            broker.transactions().prepare("tx-rollback", List.of(record("x", 0)));
        } // the crash: nothing was committed
        try (Broker broker = start()) {
            assertEquals(List.of("tx-commit", "tx-rollback"),
                    broker.transactions().prepared().stream().sorted().toList());
            assertEquals(List.of(), values(broker, 0), "still invisible after the restart");

            broker.transactions().commit("tx-commit");
            broker.transactions().rollback("tx-rollback");

            assertEquals(List.of("a"), values(broker, 0));
            assertEquals(List.of("b"), values(broker, 1));
        }
        try (Broker broker = start()) {
            assertEquals(List.of(), broker.transactions().prepared());
            assertEquals(List.of("a"), values(broker, 0), "a committed transaction survives the next restart");
        }
    }

    @Test
    void committingAgainAfterACrashInTheMiddleOfACommitAppendsOnlyWhatWasMissing() throws IOException {
        try (Broker broker = start()) {
            broker.writer().append("orders", List.of(newRecord("before", 0)));
            broker.transactions().prepare("tx-1", List.of(record("a", 0), record("b", 1), record("c", 0)));
            // The crash hits after the commit appended partition 0's batch and before partition 1's.
            PreparedTransaction prepared = loadPrepared().get(0);
            PreparedBatch first = prepared.batches().get(0);
            assertEquals(0, first.partition().partition());
            broker.hostedReplicas().leaderLog("orders", 0).append(first.freshRecords());
            broker.writer().append("orders", List.of(newRecord("after", 0)));
        }
        try (Broker broker = start()) {
            List<CommittedRecord> landed = broker.transactions().commit("tx-1");

            assertEquals(List.of("before", "a", "c", "after"), values(broker, 0), "partition 0 not appended twice");
            assertEquals(List.of("b"), values(broker, 1));
            assertEquals(List.of(1L, 0L, 2L), landed.stream().map(CommittedRecord::offset).toList(),
                    "the offsets are those of the batch the first commit appended");
        }
    }

    @Test
    void aLeftoverTemporaryFileIsATransactionThatWasNeverPrepared() throws IOException {
        try (Broker broker = start()) {
            broker.transactions().prepare("tx-1", List.of(record("a", 0)));
        }
        Path dir = dataDir.resolve("transactions");
        Files.writeString(dir.resolve("torn.prepared.tmp"), "half a transaction");
        try (Broker broker = start()) {
            assertEquals(List.of("tx-1"), broker.transactions().prepared());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")));
        }
    }

    @Test
    void aDamagedTransactionFileStopsTheBrokerFromStarting() throws IOException {
        try (Broker broker = start()) {
            broker.transactions().prepare("tx-1", List.of(record("a", 0)));
        }
        Path file;
        try (Stream<Path> files = Files.list(dataDir.resolve("transactions"))) {
            file = files.findFirst().orElseThrow();
        }
        byte[] content = Files.readAllBytes(file);
        content[content.length / 2] ^= 0x55;
        Files.write(file, content);

        CorruptTransactionLogException e = assertThrows(CorruptTransactionLogException.class, this::start);
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    private Broker start() {
        Broker broker = Broker.start(BrokerConfig.embedded(dataDir), Clock.systemUTC());
        if (!broker.topicMetadata().topicNames().contains("orders")) {
            broker.topicAdministration().create(new NewTopic("orders", 2, (short) 1, Map.of()));
        }
        return broker;
    }

    private List<PreparedTransaction> loadPrepared() {
        List<PreparedTransaction> loaded = new ArrayList<>();
        TransactionLog.open(dataDir.resolve("transactions"), loaded);
        return loaded;
    }

    private static List<String> values(Broker broker, int partition) {
        return broker.reader().read("orders", partition, 0, 100).records().stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    private static TransactionRecord record(String value, int partition) {
        return new TransactionRecord("orders", newRecord(value, partition));
    }

    private static NewRecord newRecord(String value, int partition) {
        return new NewRecord(OptionalInt.of(partition), null, value.getBytes(StandardCharsets.UTF_8), List.of(),
                OptionalLong.empty());
    }
}
