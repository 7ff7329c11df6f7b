package dev.tributary.broker.log;

import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.logging.Level;

import static dev.tributary.broker.log.TestRecords.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The leader epoch history: stamping, Kafka's end-offset lookup, persistence and repair. */
class PartitionLogLeaderEpochTest extends OneLogTest {

    private PartitionLog open() {
        return open(Map.of(), true);
    }

    /** Epoch 0 over offsets 0..1 (never assigned), epoch 3 over 2..5, epoch 5 over 6..8. */
    private PartitionLog openWithThreeEpochs() {
        open();
        log.append(batch(1L, "a", "b"));
        log.assignLeaderEpoch(3);
        log.append(batch(2L, "c", "d"));
        log.append(batch(3L, "e", "f"));
        log.assignLeaderEpoch(5);
        log.append(batch(4L, "g", "h", "i"));
        return log;
    }

    private List<Integer> epochsOfBatches() {
        List<Integer> out = new ArrayList<>();
        for (RecordBatch b : log.read(log.logStartOffset(), 1 << 20).records().batches()) {
            b.ensureValid();
            out.add(b.partitionLeaderEpoch());
        }
        return out;
    }

    @Test
    void aLogNeverGivenAnEpochIsAtEpochZeroFromItsStart() {
        open();
        log.append(batch(1L, "a", "b", "c"));

        assertEquals(List.of(0), epochsOfBatches(), "stamped with epoch 0 instead of the producer's -1; CRC valid");
        assertEquals(OptionalInt.of(0), log.latestLeaderEpoch());
        // what kafka.PartitionLeaderEpoch answers today
        assertEquals(new EpochEndOffset(0, 3), log.endOffsetForEpoch(0));
        assertEquals(EpochEndOffset.UNDEFINED, log.endOffsetForEpoch(1));
        assertEquals(EpochEndOffset.UNDEFINED, log.endOffsetForEpoch(-1));
        assertEquals(new EpochEndOffset(-2, 0), log.endOffsetForEpoch(-2));
    }

    @Test
    void appendsAreStampedWithTheLatestAssignedEpoch() {
        openWithThreeEpochs();
        assertEquals(List.of(0, 3, 3, 5), epochsOfBatches());
        assertEquals(OptionalInt.of(5), log.latestLeaderEpoch());
    }

    @Test
    void endOffsetForEpochAnswersAsKafka() {
        openWithThreeEpochs();
        assertEquals(new EpochEndOffset(5, 9), log.endOffsetForEpoch(5), "the latest epoch ends at the log end");
        assertEquals(new EpochEndOffset(3, 6), log.endOffsetForEpoch(4), "an unknown epoch: the one below it");
        assertEquals(new EpochEndOffset(3, 6), log.endOffsetForEpoch(3));
        assertEquals(new EpochEndOffset(0, 2), log.endOffsetForEpoch(2));
        assertEquals(new EpochEndOffset(0, 2), log.endOffsetForEpoch(0));
        assertEquals(EpochEndOffset.UNDEFINED, log.endOffsetForEpoch(6));
        assertEquals(EpochEndOffset.UNDEFINED, log.endOffsetForEpoch(-1));
    }

    @Test
    void anEpochOlderThanEveryEpochEndsWhereTheFirstStarts() {
        open();
        log.assignLeaderEpoch(2); // an empty log: no records of the implied epoch 0 to remember
        log.append(batch(1L, "a"));
        log.assignLeaderEpoch(4);
        log.append(batch(2L, "b"));

        assertEquals(new EpochEndOffset(1, 0), log.endOffsetForEpoch(1));
        assertEquals(new EpochEndOffset(2, 1), log.endOffsetForEpoch(3));
    }

    @Test
    void anEpochThatIsNotNewerChangesNothing() {
        openWithThreeEpochs();
        log.assignLeaderEpoch(4);
        log.assignLeaderEpoch(5);
        log.append(batch(5L, "j"));

        assertEquals(List.of(0, 3, 3, 5, 5), epochsOfBatches());
        assertEquals(new EpochEndOffset(3, 6), log.endOffsetForEpoch(4));
    }

    @Test
    void theHistorySurvivesARestart() {
        openWithThreeEpochs();
        log.close();

        open();
        assertEquals(OptionalInt.of(5), log.latestLeaderEpoch());
        assertEquals(new EpochEndOffset(3, 6), log.endOffsetForEpoch(3));
        assertEquals(new EpochEndOffset(0, 2), log.endOffsetForEpoch(0));
    }

    @Test
    void anEpochAssignedToAnEmptyTailSurvivesARestart() {
        openWithThreeEpochs();
        log.assignLeaderEpoch(7);
        log.close();

        open();
        assertEquals(OptionalInt.of(7), log.latestLeaderEpoch());
        assertEquals(new EpochEndOffset(5, 9), log.endOffsetForEpoch(6));
    }

    @Test
    void aCorruptCheckpointIsRebuiltFromTheBatches() throws IOException {
        openWithThreeEpochs();
        log.close();
        Path checkpoint = dir().resolve(LogFiles.LEADER_EPOCH_FILE);
        Files.writeString(checkpoint, "0\n3\n0 0\n3 x\n", StandardCharsets.UTF_8);

        try (LogCapture warnings = new LogCapture(LogLoader.class)) {
            open();
            assertTrue(warnings.messagesAt(Level.WARNING).stream().anyMatch(m -> m.contains("leader epoch")));
        }
        assertEquals(new EpochEndOffset(3, 6), log.endOffsetForEpoch(3));
        assertEquals(new EpochEndOffset(0, 2), log.endOffsetForEpoch(0));
        assertEquals(new EpochEndOffset(5, 9), log.endOffsetForEpoch(5));
        assertEquals("0\n3\n0 0\n3 2\n5 6\n", Files.readString(checkpoint), "rewritten");
    }

    @Test
    void entriesBeyondTheLogEndAreDroppedOnOpen() throws IOException {
        openWithThreeEpochs();
        log.close();
        // an epoch checkpointed ahead of records that a crash lost
        LeaderEpochCheckpoint.write(dir(), List.of(new EpochEntry(0, 0), new EpochEntry(3, 2), new EpochEntry(5, 6),
                new EpochEntry(6, 12)));

        open();
        assertEquals(OptionalInt.of(5), log.latestLeaderEpoch());
        assertEquals(EpochEndOffset.UNDEFINED, log.endOffsetForEpoch(6));
    }

    @Test
    void deletingRecordsMovesTheFirstEpochsStart() {
        openWithThreeEpochs();
        log.advanceLogStartOffset(4);

        assertEquals(new EpochEndOffset(2, 4), log.endOffsetForEpoch(2), "epoch 0 is gone; epoch 3 now starts at 4");
        assertEquals(new EpochEndOffset(3, 6), log.endOffsetForEpoch(3));
        log.close();
        open();
        assertEquals(new EpochEndOffset(2, 4), log.endOffsetForEpoch(2));
    }
}
