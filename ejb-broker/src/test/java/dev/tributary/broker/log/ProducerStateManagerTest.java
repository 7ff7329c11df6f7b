package dev.tributary.broker.log;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.tributary.broker.log.TestRecords.bytes;
import static dev.tributary.broker.log.TestRecords.concat;
import static dev.tributary.broker.log.TestRecords.idempotentBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The idempotent-producer rules of {@link PartitionLog#append}, and when producer state is forgotten. */
class ProducerStateManagerTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final long PID = 1000;

    @TempDir
    Path tmp;
    private final ManualClock clock = new ManualClock(5_000_000L);
    private PartitionLog log;

    private PartitionLog open(Map<String, String> overrides) {
        log = PartitionLog.open(tmp.resolve("t-0"), TP, LogConfig.fromMap(overrides), clock);
        return log;
    }

    @AfterEach
    void close() {
        if (log != null)
            log.close();
    }

    private MemoryRecords batch(short epoch, int firstSeq, int count) {
        return batch(PID, epoch, firstSeq, count);
    }

    private MemoryRecords batch(long pid, short epoch, int firstSeq, int count) {
        String[] values = new String[count];
        for (int i = 0; i < count; i++)
            values[i] = "r" + (firstSeq + i);
        return idempotentBatch(pid, epoch, firstSeq, clock.millis(), values);
    }

    private List<Long> snapshotOffsets() throws IOException {
        return new ProducerStateManager(log.dir(), TP).snapshotOffsets();
    }

    @Test
    void aRetriedBatchGetsItsOriginalOffsetsAndIsNotAppendedAgain() {
        open(Map.of());
        assertEquals(0, log.append(batch((short) 0, 0, 3)).firstOffset());
        assertEquals(3, log.append(batch((short) 0, 3, 2)).firstOffset());

        LogAppendInfo retry = log.append(batch((short) 0, 0, 3));
        assertTrue(retry.duplicate());
        assertEquals(0, retry.firstOffset());
        assertEquals(2, retry.lastOffset());
        assertEquals(3, retry.recordCount());
        assertEquals(0, retry.validBytes());
        assertEquals(5, log.logEndOffset(), "nothing appended for the duplicate");
        assertEquals(3, log.append(batch((short) 0, 3, 2)).firstOffset());
        assertFalse(log.append(batch((short) 0, 5, 1)).duplicate());
        assertEquals(6, log.logEndOffset());
    }

    @Test
    void sequenceGapsOldEpochsAndUnknownProducersAreRefused() {
        open(Map.of());
        log.append(batch((short) 0, 0, 2));
        assertThrows(OutOfOrderSequenceException.class, () -> log.append(batch((short) 0, 5, 1)));
        // a new epoch must start at 0
        assertThrows(OutOfOrderSequenceException.class, () -> log.append(batch((short) 1, 2, 1)));
        assertEquals(2, log.append(batch((short) 1, 0, 1)).firstOffset());
        assertThrows(InvalidProducerEpochException.class, () -> log.append(batch((short) 0, 2, 1)));
        // a producer this partition never saw must start at 0
        assertThrows(UnknownProducerIdException.class, () -> log.append(batch(PID + 1, (short) 0, 7, 1)));
        assertEquals(3, log.logEndOffset(), "nothing refused was appended");
    }

    @Test
    void onlyTheLastFiveBatchesAreRecognisedAsDuplicates() {
        open(Map.of());
        for (int seq = 0; seq < 6; seq++)
            log.append(batch((short) 0, seq, 1));
        assertTrue(log.append(batch((short) 0, 1, 1)).duplicate());
        assertThrows(OutOfOrderSequenceException.class, () -> log.append(batch((short) 0, 0, 1)),
                "sequence 0 has left the window of retained batches");
    }

    @Test
    void recordsWithoutAProducerIdAreAppendedAsTheyAre() {
        open(Map.of());
        MemoryRecords plain = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(bytes("a")));
        MemoryRecords same = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(bytes("a")));
        assertEquals(0, log.append(plain).firstOffset());
        assertEquals(1, log.append(same).firstOffset());
    }

    @Test
    void anAppendOfSeveralBatchesIsRetriedAsAWhole() {
        open(Map.of());
        log.append(concat(batch((short) 0, 0, 2), batch((short) 0, 2, 3)));
        LogAppendInfo retry = log.append(concat(batch((short) 0, 0, 2), batch((short) 0, 2, 3)));
        assertTrue(retry.duplicate());
        assertEquals(0, retry.firstOffset());
        assertEquals(4, retry.lastOffset());
        assertEquals(5, log.logEndOffset());
        assertThrows(OutOfOrderSequenceException.class,
                () -> log.append(concat(batch((short) 0, 5, 1), batch((short) 0, 7, 1))), "a gap inside the append");
        assertThrows(InvalidRecordException.class,
                () -> log.append(concat(batch((short) 0, 5, 1), batch(PID + 1, (short) 0, 0, 1))));
        assertEquals(5, log.logEndOffset());
    }

    @Test
    void aDuplicateGetsTheOriginalLogAppendTime() {
        open(Map.of(LogConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime"));
        long appendedAt = clock.millis();
        assertEquals(appendedAt, log.append(batch((short) 0, 0, 1)).logAppendTime());
        clock.advance(60_000);
        LogAppendInfo retry = log.append(batch((short) 0, 0, 1));
        assertTrue(retry.duplicate());
        assertEquals(appendedAt, retry.logAppendTime());
    }

    @Test
    void aTransactionalBatchOpensATransactionThatHoldsTheLastStableOffset() {
        open(Map.of());
        MemoryRecords transactional = MemoryRecords.withTransactionalRecords(Compression.NONE, PID, (short) 0, 0,
                new SimpleRecord(bytes("t")));
        log.append(transactional);
        assertEquals(1, log.logEndOffset());
        assertEquals(0, log.lastStableOffset());
        assertEquals(0, log.activeProducers().get(0).currentTxnStartOffset());
    }

    @Test
    void producersIdleForTheExpirationTimeAreForgottenByMaintenance() {
        try (LogManager manager = new LogManager(tmp.resolve("data"), clock)) {
            PartitionLog managed = manager.createLog(TP, LogConfig.defaults());
            managed.append(batch((short) 0, 0, 1));
            clock.advance(ProducerStateManager.DEFAULT_PRODUCER_ID_EXPIRATION_MS - 1);
            manager.runMaintenance(clock.millis());
            assertTrue(managed.append(batch((short) 0, 0, 1)).duplicate(), "not idle long enough to expire");

            managed.append(batch((short) 0, 1, 1)); // activity restarts the idle time
            clock.advance(ProducerStateManager.DEFAULT_PRODUCER_ID_EXPIRATION_MS - 1);
            manager.runMaintenance(clock.millis());
            assertFalse(managed.append(batch((short) 0, 2, 1)).duplicate());

            clock.advance(ProducerStateManager.DEFAULT_PRODUCER_ID_EXPIRATION_MS);
            manager.runMaintenance(clock.millis());
            assertThrows(UnknownProducerIdException.class, () -> managed.append(batch((short) 0, 3, 1)));
            long end = managed.logEndOffset();
            assertEquals(end, managed.append(batch((short) 0, 0, 1)).firstOffset(),
                    "the producer starts again at sequence 0, and that is a new append");
        }
    }

    @Test
    void retentionForgetsProducersWhoseBatchesAreAllBelowTheLogStart() throws IOException {
        int batchBytes = batch((short) 0, 0, 1).sizeInBytes();
        open(Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(batchBytes), // one batch per segment
                LogConfig.RETENTION_BYTES, Integer.toString(batchBytes)));
        long other = PID + 1;
        log.append(batch((short) 0, 0, 1));          // offset 0, segment 0
        log.append(batch(other, (short) 0, 0, 1));   // offset 1, segment 1 (rolled: snapshot at 1)
        log.append(batch(other, (short) 0, 1, 1));   // offset 2, segment 2 (rolled: snapshot at 2)
        assertEquals(List.of(1L, 2L), snapshotOffsets());
        assertEquals(2, log.applyRetention(clock.millis()));
        assertEquals(2, log.logStartOffset());

        assertThrows(UnknownProducerIdException.class, () -> log.append(batch((short) 0, 1, 1)),
                "the first producer's only batch was deleted");
        assertTrue(log.append(batch(other, (short) 0, 1, 1)).duplicate(), "the other producer is still known");
        assertEquals(List.of(2L), snapshotOffsets(), "the snapshot below the log start is deleted");
    }
}
