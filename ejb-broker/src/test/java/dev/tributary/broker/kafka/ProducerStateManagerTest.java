package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.log.LogConfig;
import dev.tributary.broker.log.PartitionLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerStateManagerTest {

    private static final long PID = 1000;

    @TempDir
    Path dir;

    private PartitionLog log;
    private final ProducerStateManager producers = new ProducerStateManager();

    @BeforeEach
    void open() {
        log = PartitionLog.open(dir.resolve("t-0"), new TopicPartition("t", 0), LogConfig.defaults(),
                Clock.systemUTC());
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void aRetriedBatchGetsItsOriginalOffsetsAndIsNotAppendedAgain() {
        assertEquals(0, producers.append(log, batch((short) 0, 0, 3)).baseOffset());
        assertEquals(3, producers.append(log, batch((short) 0, 3, 2)).baseOffset());

        ProducerStateManager.AppendResult retry = producers.append(log, batch((short) 0, 0, 3));
        assertTrue(retry.duplicate());
        assertEquals(0, retry.baseOffset());
        assertEquals(5, log.logEndOffset(), "nothing appended for the duplicate");
        assertEquals(3, producers.append(log, batch((short) 0, 3, 2)).baseOffset());
        assertFalse(producers.append(log, batch((short) 0, 5, 1)).duplicate());
        assertEquals(6, log.logEndOffset());
    }

    @Test
    void sequenceGapsOldEpochsAndUnknownProducersAreRefused() {
        producers.append(log, batch((short) 0, 0, 2));
        assertThrows(OutOfOrderSequenceException.class, () -> producers.append(log, batch((short) 0, 5, 1)));
        // a new epoch must start at 0
        assertThrows(OutOfOrderSequenceException.class, () -> producers.append(log, batch((short) 1, 2, 1)));
        assertEquals(2, producers.append(log, batch((short) 1, 0, 1)).baseOffset());
        assertThrows(InvalidProducerEpochException.class, () -> producers.append(log, batch((short) 0, 2, 1)));
        // a producer this partition never saw (e.g. from before a restart) must start at 0
        assertThrows(UnknownProducerIdException.class,
                () -> producers.append(log, MemoryRecords.withIdempotentRecords(Compression.NONE, PID + 1,
                        (short) 0, 7, record("x"))));
        assertEquals(3, log.logEndOffset(), "nothing refused was appended");
    }

    @Test
    void onlyTheLastFiveBatchesAreRecognisedAsDuplicates() {
        for (int seq = 0; seq < 6; seq++)
            producers.append(log, batch((short) 0, seq, 1));
        assertTrue(producers.append(log, batch((short) 0, 1, 1)).duplicate());
        assertThrows(OutOfOrderSequenceException.class, () -> producers.append(log, batch((short) 0, 0, 1)),
                "sequence 0 has left the window of retained batches");
    }

    @Test
    void recordsWithoutAProducerIdAreAppendedAsTheyAre() {
        MemoryRecords plain = MemoryRecords.withRecords(Compression.NONE, record("a"));
        MemoryRecords same = MemoryRecords.withRecords(Compression.NONE, record("a"));
        assertEquals(0, producers.append(log, plain).baseOffset());
        assertEquals(1, producers.append(log, same).baseOffset());
    }

    private static MemoryRecords batch(short epoch, int firstSeq, int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++)
            records[i] = record("r" + (firstSeq + i));
        return MemoryRecords.withIdempotentRecords(Compression.NONE, PID, epoch, firstSeq, records);
    }

    private static SimpleRecord record(String value) {
        return new SimpleRecord(System.currentTimeMillis(), null, value.getBytes(StandardCharsets.UTF_8));
    }
}
