package dev.tributary.broker.log;

import dev.tributary.broker.metrics.LatencyHistogram;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.tributary.broker.log.TestRecords.batch;
import static dev.tributary.broker.log.TestRecords.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LocalLog's own contract, without the partition log above it: rolling, reads bounded by the caller, truncation,
 * deleting the oldest segments, and replacing sealed segments with one compacted segment — with a crash at every
 * step of that protocol, recovered by {@link LogLoader} on the next open.
 *
 * <p>Most tests use a log of three sealed segments of two three-record batches each, offsets 0..17, and an active
 * segment with one batch, 18..20. A "crash" abandons the log object without closing it, as a dying process would.
 */
class LocalLogTest {
    private static final TopicPartition TP = new TopicPartition("compacted", 0);
    private static final int BATCH = batch(1L, "b0r0", "b0r1", "b0r2").sizeInBytes();
    private static final LocalLog.TruncatedEnd SET_ONLY = (newEnd, setEnd) -> setEnd.run();

    @TempDir
    Path tmp;
    private final ManualClock clock = new ManualClock(1_000_000L);
    private final List<LocalLog> toClose = new ArrayList<>();
    private final List<Long> rolls = new ArrayList<>();

    @AfterEach
    void closeLogs() {
        for (LocalLog log : toClose)
            log.close(end -> { });
    }

    private Path dir() {
        return tmp.resolve("compacted-0");
    }

    private LocalLog open(Map<String, String> overrides) throws IOException {
        Map<String, String> config = new HashMap<>(Map.of("segment.bytes", Integer.toString(2 * BATCH),
                "index.interval.bytes", "0"));
        config.putAll(overrides);
        LogConfig logConfig = LogConfig.fromMap(config);
        LocalLog log = new LocalLog(dir(), TP, logConfig, clock, LogLoader.load(dir(), TP, logConfig, clock.millis()),
                rolls::add, upToOffset -> { }, new LatencyHistogram());
        toClose.add(log);
        return log;
    }

    /** Opens the log again after a crash of {@code crashed}: it is abandoned, not closed. */
    private LocalLog reopenAfterCrash(LocalLog crashed) throws IOException {
        toClose.remove(crashed);
        return open(Map.of());
    }

    /** Appends batch {@code n}, records "b{n}r0".."b{n}r2", at the log end, as the partition log does. */
    private static void appendBatch(LocalLog log, int n) throws IOException {
        MemoryRecords records = numberedBatch(n);
        LogValidator.AssignedOffsets offsets = LogValidator.assignOffsets(records, log.logEndOffset(), 0,
                TimestampType.CREATE_TIME, 1L);
        log.append(records, records.sizeInBytes(), offsets.lastOffset(), 1L);
    }

    private static MemoryRecords numberedBatch(int n) {
        return batch(1L, "b" + n + "r0", "b" + n + "r1", "b" + n + "r2");
    }

    /** Three sealed segments, 0..5, 6..11 and 12..17, and the active one holding 18..20. */
    private LocalLog logWithThreeSealedSegments() throws IOException {
        LocalLog log = open(Map.of());
        for (int n = 0; n < 7; n++)
            appendBatch(log, n);
        assertEquals(List.of(0L, 6L, 12L, 18L), baseOffsets(log));
        return log;
    }

    private static List<Long> baseOffsets(LocalLog log) {
        return log.segments().stream().map(LogSegment::baseOffset).toList();
    }

    /** Every record from the first segment on, read with {@link LocalLog#read} up to the log end, as "offset:value". */
    private static List<String> contents(LocalLog log) {
        List<String> records = new ArrayList<>();
        long next = log.firstSegment().baseOffset();
        while (next < log.logEndOffset()) {
            Optional<FetchDataInfo> read = log.read(next, 1 << 20, log.logEnd());
            if (read.isEmpty())
                break;
            for (RecordBatch batch : read.get().records().batches()) {
                for (Record record : batch) {
                    if (record.offset() >= next)
                        records.add(record.offset() + ":" + string(record.value()));
                }
                next = batch.nextOffset();
            }
        }
        return records;
    }

    private static List<String> recordsOfBatches(int... batches) {
        List<String> records = new ArrayList<>();
        for (int n : batches) {
            for (int r = 0; r < 3; r++)
                records.add((3L * n + r) + ":b" + n + "r" + r);
        }
        return records;
    }

    private List<String> files(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().toList();
        }
    }

    // ---- roll, read, truncation, deletion ----

    @Test
    void rollsWhenTheActiveSegmentIsFullSealingAndFsyncingTheOldOneFirst() throws IOException {
        LocalLog log = open(Map.of());
        appendBatch(log, 0);
        appendBatch(log, 1);
        assertEquals(0, log.recoveryPoint(), "append does not fsync: flush.messages is the caller's to apply");
        appendBatch(log, 2);

        assertEquals(List.of(0L, 6L), baseOffsets(log));
        assertEquals(List.of(6L), rolls, "the owner is told once the new segment exists");
        assertEquals(6, log.recoveryPoint(), "the sealed segment is durable");
        assertEquals(6, OffsetCheckpointFile.RECOVERY_POINT.read(dir()).getAsLong(), "and checkpointed");
        assertEquals(OffsetIndex.ENTRY_SIZE, Files.size(LogFiles.offsetIndexFile(dir(), 0)),
                "its offset index is trimmed to its one entry (for the second batch)");
        assertEquals(new LogOffsetMetadata(9, 6, BATCH), log.logEnd());
    }

    @Test
    void readsStopAtTheBoundTheCallerGivesAndLeaveOutABatchThatStraddlesIt() throws IOException {
        LocalLog log = logWithThreeSealedSegments();
        LogOffsetMetadata insideBatchFour = log.offsetMetadata(13).orElseThrow();
        assertEquals(new LogOffsetMetadata(13, 12, 0), insideBatchFour, "the place of the batch holding 13");

        assertEquals(Optional.empty(), log.read(12, 1 << 20, insideBatchFour), "batch 12..14 straddles the bound");
        FetchDataInfo upToBatchFive = log.read(6, 1 << 20, log.offsetMetadata(15).orElseThrow()).orElseThrow();
        assertEquals(2, count(upToBatchFive), "6..8 and 9..11; the segment of 12.. is not reached");
        FetchDataInfo slice = log.read(7, 1, log.logEnd()).orElseThrow();
        assertEquals(1, count(slice), "at least the whole batch holding the offset, even beyond maxBytes");
        assertEquals(recordsOfBatches(0, 1, 2, 3, 4, 5, 6), contents(log));
        assertEquals(Optional.empty(), log.offsetMetadata(-1));
    }

    private static int count(FetchDataInfo info) {
        int batches = 0;
        for (RecordBatch ignored : info.records().batches())
            batches++;
        return batches;
    }

    @Test
    void truncateToPublishesTheNewEndBeforeAnyFileShrinksAndCutsAtABatchBoundary() throws IOException {
        LocalLog log = logWithThreeSealedSegments();
        long sizeBefore = log.sizeInBytes();
        List<LogOffsetMetadata> published = new ArrayList<>();

        long end = log.truncateTo(10, (newEnd, setEnd) -> {
            assertEquals(sizeBefore, log.sizeInBytes(), "no file has shrunk yet");
            setEnd.run();
            published.add(newEnd);
        });

        assertEquals(9, end, "10 is inside batch 9..11, which goes whole");
        assertEquals(List.of(new LogOffsetMetadata(9, 6, BATCH)), published);
        assertEquals(List.of(0L, 6L), baseOffsets(log), "the segment holding the cut is the active one");
        assertTrue(log.recoveryPoint() <= 9);
        assertEquals(List.of("00000000000000000012.log.deleted", "00000000000000000018.log.deleted"),
                files(".log.deleted"));
        appendBatch(log, 3);
        assertEquals(recordsOfBatches(0, 1, 2, 3), contents(log));
        assertThrows(IllegalArgumentException.class, () -> log.truncateTo(-1, SET_ONLY));
    }

    @Test
    void truncateFullyAndStartAtLeavesOneEmptySegmentAtTheNewStart() throws IOException {
        LocalLog log = logWithThreeSealedSegments();
        log.truncateFullyAndStartAt(100, SET_ONLY);

        assertEquals(List.of(100L), baseOffsets(log));
        assertEquals(new LogOffsetMetadata(100, 100, 0), log.logEnd());
        assertEquals(100, log.recoveryPoint());
        assertEquals(100, OffsetCheckpointFile.RECOVERY_POINT.read(dir()).getAsLong());
        appendBatch(log, 0);
        assertEquals(List.of("100:b0r0", "101:b0r1", "102:b0r2"), contents(log));
    }

    @Test
    void deletesTheOldestSegmentsAtOnceForReadsAndTheirFilesAfterTheDelay() throws IOException {
        LocalLog log = open(Map.of("file.delete.delay.ms", "1000"));
        for (int n = 0; n < 7; n++)
            appendBatch(log, n);
        List<LogSegment> segments = List.copyOf(log.segments());

        assertThrows(IllegalArgumentException.class, () -> log.deleteOldestSegments(segments.subList(1, 2), 0),
                "not the oldest");
        assertThrows(IllegalArgumentException.class, () -> log.deleteOldestSegments(segments, 0), "the active one");
        log.deleteOldestSegments(segments.subList(0, 2), clock.millis());

        assertEquals(List.of(12L, 18L), baseOffsets(log));
        assertEquals(Optional.empty(), log.read(3, 1 << 20, log.logEnd()), "no segment holds 3 any more");
        assertEquals(List.of("00000000000000000000.log.deleted", "00000000000000000006.log.deleted"),
                files(".log.deleted"));
        log.deleteDueSegmentFiles(clock.millis() + 999);
        assertEquals(2, files(".log.deleted").size(), "kept for file.delete.delay.ms");
        log.deleteDueSegmentFiles(clock.millis() + 1000);
        assertEquals(List.of(), files(".deleted"));
    }

    // ---- replacing sealed segments ----

    /**
     * A compacted replacement for the segments at 0 and 6: it keeps batches {@code kept} (of 0..3) with their
     * offsets. Written with {@code .cleaned} names, as the cleaner writes it.
     */
    private LogSegment cleanedSegment(LocalLog log, int... kept) throws IOException {
        LogSegment cleaned = LogSegment.open(dir(), 0, log.config(), LogFiles.CLEANED_SUFFIX);
        for (int n : kept) {
            MemoryRecords records = numberedBatch(n);
            LogValidator.assignOffsets(records, 3L * n, 0, TimestampType.CREATE_TIME, 1L);
            cleaned.append(records, 1L);
        }
        return cleaned;
    }

    private static void replace(LocalLog log, LogSegment cleaned, List<LogSegment> old) throws IOException {
        log.replaceSegments(cleaned, old, CleaningSteps.NONE);
    }

    private static List<LogSegment> firstTwo(LocalLog log) {
        return List.copyOf(log.segments()).subList(0, 2);
    }

    private static final List<String> OLD = recordsOfBatches(0, 1, 2, 3, 4, 5, 6);
    /** What compaction kept of the first two segments (batches 1 and 3), then the rest. */
    private static final List<String> COMPACTED = recordsOfBatches(1, 3, 4, 5, 6);

    @Test
    void replaceSegmentsSwapsACompactedSegmentInForARunOfSealedOnes() throws IOException {
        LocalLog log = open(Map.of("file.delete.delay.ms", "1000"));
        for (int n = 0; n < 7; n++)
            appendBatch(log, n);
        LogSegment cleaned = cleanedSegment(log, 1, 3);

        replace(log, cleaned, firstTwo(log));

        assertEquals(List.of(0L, 12L, 18L), baseOffsets(log));
        assertEquals(COMPACTED, contents(log));
        assertEquals(List.of(), files(LogFiles.SWAP_SUFFIX));
        assertEquals(List.of(), files(LogFiles.CLEANED_SUFFIX));
        assertEquals(List.of("00000000000000000000.log.deleted", "00000000000000000006.log.deleted"),
                files(".log.deleted"), "the old files stay for reads under way");
        assertEquals(21, log.logEndOffset());

        log.close(end -> { });
        toClose.remove(log);
        LocalLog reopened = open(Map.of());
        assertEquals(COMPACTED, contents(reopened));
        appendBatch(reopened, 7);
        assertEquals(24, reopened.logEndOffset());
    }

    @Test
    void replaceSegmentsRefusesWhatIsNotARunOfSealedSegmentsItsNewSegmentFits() throws IOException {
        LocalLog log = logWithThreeSealedSegments();
        List<LogSegment> segments = List.copyOf(log.segments());
        LogSegment cleaned = cleanedSegment(log, 1, 3);

        assertThrows(IllegalArgumentException.class, () -> replace(log, cleaned, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> replace(log, cleaned, List.of(segments.get(0), segments.get(2))), "not consecutive");
        assertThrows(IllegalArgumentException.class, () -> replace(log, cleaned, segments.subList(1, 3)),
                "the new segment starts elsewhere");
        assertThrows(IllegalArgumentException.class, () -> replace(log, cleaned, segments),
                "the active segment");
        assertThrows(IllegalArgumentException.class, () -> replace(log, cleaned, segments.subList(0, 1)),
                "batch 3 (9..11) lies beyond the segment at 0 (0..5)");
        LogSegment plainNamed = LogSegment.open(tmp, 0, log.config());
        try {
            assertThrows(IllegalArgumentException.class, () -> replace(log, plainNamed, firstTwo(log)),
                    "not a .cleaned segment");
        } finally {
            plainNamed.close();
        }

        assertEquals(OLD, contents(log), "nothing changed");
        assertEquals(List.of("00000000000000000000.index.cleaned", "00000000000000000000.log.cleaned",
                "00000000000000000000.timeindex.cleaned"), files(LogFiles.CLEANED_SUFFIX));
        cleaned.close();
    }

    /**
     * A crash inside replaceSegments' steps 1 to 3, at the rename to {@code blockedName}: a non-empty directory of
     * that name makes the rename, and with it replaceSegments, fail exactly there, after every earlier step. The
     * directory is removed again (it is not part of the crash) and the log reopened.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            // step 2, before the commit: the new segment is dropped, the old ones stay
            "00000000000000000000.index.swap", "00000000000000000000.timeindex.swap", "00000000000000000000.log.swap",
            // step 3, after the commit: the replacement is completed
            "00000000000000000000.index.deleted", "00000000000000000000.log.deleted",
            "00000000000000000006.index.deleted", "00000000000000000006.log.deleted"})
    void aCrashDuringReplaceSegmentsLeavesTheOldSegmentsOrTheNewOneOnReopen(String blockedName) throws IOException {
        LocalLog log = logWithThreeSealedSegments();
        LogSegment cleaned = cleanedSegment(log, 1, 3);
        Path blocker = Files.createDirectory(dir().resolve(blockedName));
        Files.createFile(blocker.resolve("occupied"));

        assertThrows(IOException.class, () -> replace(log, cleaned, firstTwo(log)));
        Files.delete(blocker.resolve("occupied"));
        Files.delete(blocker);

        boolean committed = !blockedName.endsWith(LogFiles.SWAP_SUFFIX);
        assertReopensWith(log, committed ? COMPACTED : OLD);
    }

    /**
     * A crash during step 4, after {@code renamed} of the new segment's files (index, time index, data, in that
     * order) got their plain names: the state is made from a completed replacement by giving the others their
     * {@code .swap} names back.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void aCrashWhileTheNewSegmentGetsItsPlainNamesIsCompletedOnReopen(int renamed) throws IOException {
        LocalLog log = logWithThreeSealedSegments();
        replace(log, cleanedSegment(log, 1, 3), firstTwo(log));
        List<Path> inRenameOrder = List.of(LogFiles.offsetIndexFile(dir(), 0), LogFiles.timeIndexFile(dir(), 0),
                LogFiles.logFile(dir(), 0));
        for (Path file : inRenameOrder.subList(renamed, 3))
            Files.move(file, LogFiles.withSuffix(file, LogFiles.SWAP_SUFFIX));

        assertReopensWith(log, COMPACTED);
    }

    private void assertReopensWith(LocalLog crashed, List<String> expected) throws IOException {
        LocalLog reopened = reopenAfterCrash(crashed);
        assertEquals(expected, contents(reopened));
        for (String leftover : List.of(LogFiles.SWAP_SUFFIX, LogFiles.CLEANED_SUFFIX, LogFiles.DELETED_SUFFIX))
            assertEquals(List.of(), files(leftover), leftover + " files are gone");
        appendBatch(reopened, 7);
        assertEquals(24, reopened.logEndOffset(), "the active segment is untouched and takes appends");
    }

    @Test
    void aNewSegmentMustReachIntoTheLastReplacedSegmentThatHoldsData() throws IOException {
        LocalLog log = logWithThreeSealedSegments();
        LogSegment cleaned = cleanedSegment(log, 1); // kept nothing of the segment at 6, not even its last batch
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> replace(log, cleaned, firstTwo(log)));
        assertTrue(e.getMessage().contains("could not tell that it replaces"), e.getMessage());
        assertEquals(OLD, contents(log), "after a crash the loader could not have recognised the segment at 6");
        cleaned.close();
    }

    @Test
    void aFailureBeforeTheCommitRemovesTheNewSegmentAndLeavesTheLogAsItWas() throws IOException {
        LocalLog log = logWithThreeSealedSegments();
        LogSegment cleaned = cleanedSegment(log, 1, 3);
        UncommittedReplacementException e = assertThrows(UncommittedReplacementException.class,
                () -> log.replaceSegments(cleaned, firstTwo(log), step -> {
                    if (step.contains("time index"))
                        throw new IOException("No space left on device");
                }));
        assertTrue(e.getMessage().contains("the log is unchanged"), e.getMessage());
        assertEquals(OLD, contents(log));
        assertEquals(List.of(), files(LogFiles.SWAP_SUFFIX));
        assertEquals(List.of(), files(LogFiles.CLEANED_SUFFIX));
        appendBatch(log, 7);
        assertEquals(24, log.logEndOffset(), "the log stays writable");
    }

    @Test
    void aDamagedCommittedSegmentIsCorruptionNotAGuess() throws IOException {
        LocalLog log = logWithThreeSealedSegments();
        replace(log, cleanedSegment(log, 1, 3), firstTwo(log));
        Path data = LogFiles.logFile(dir(), 0);
        Files.move(data, LogFiles.withSuffix(data, LogFiles.SWAP_SUFFIX));
        TestRecords.flipByte(LogFiles.withSuffix(data, LogFiles.SWAP_SUFFIX), BATCH + 40);

        toClose.remove(log);
        LogCorruptionException e = assertThrows(LogCorruptionException.class, () -> open(Map.of()));
        assertTrue(e.getMessage().contains("interrupted segment replacement"), e.getMessage());
        assertEquals(BATCH, e.position());
        assertFalse(files(LogFiles.SWAP_SUFFIX).isEmpty(), "nothing was deleted");
    }
}
