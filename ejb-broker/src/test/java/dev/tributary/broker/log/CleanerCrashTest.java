package dev.tributary.broker.log;

import dev.tributary.broker.metrics.CleanerMetrics;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A kill -9 at every step of a cleaning: the step hook copies the partition directory as the crash leaves it (the
 * files as a killed process leaves them to the next start) and then fails the cleaning there. The copy is opened
 * as after a crash ({@link LogLoader} recovers it) and must hold the records of before the cleaning or of after it,
 * never a segment lost or doubled.
 */
class CleanerCrashTest extends CompactedLogTest {

    /** What one run of the cleaner over a copy of a log gave: all records, what read_committed reads, the steps. */
    private record Run(List<TestRecords.ReadRecord> records, List<TestRecords.ReadRecord> committed,
                       List<String> steps) {
    }

    @Test
    void aCrashAtAnyStepOfOneReplacementRecoversToTheRecordsBeforeOrAfterIt() throws IOException {
        // Large segment.bytes: the manually rolled segments form one group, so one replacement does it all.
        Map<String, String> config = Map.of("segment.bytes", "1048576");
        openCompacted(config);
        for (int round = 0; round < 4; round++) {
            putRounds(5, 1);
            roll();
        }
        put("key-2", null);
        roll();
        Path pristine = closeAndCopy();
        List<TestRecords.ReadRecord> before = TestRecords.readAll(reopen(pristine, config));
        Run complete = clean(pristine, tmp.resolve("complete"), config, 1 << 20, -1);
        assertEquals(expected(), complete.records());
        assertTrue(complete.steps().size() >= 3 + 5 * 3 + 3, "swap renames, old segments, plain renames: "
                + complete.steps());

        for (int crashAt = 0; crashAt < complete.steps().size(); crashAt++) {
            Run crashed = clean(pristine, tmp.resolve("run-" + crashAt), config, 1 << 20, crashAt);
            String where = "crash after '" + complete.steps().get(crashAt) + "'";
            assertTrue(crashed.records().equals(before) || crashed.records().equals(complete.records()),
                    where + ": " + crashed.records());
            boolean committed = complete.steps().subList(0, crashAt + 1).stream()
                    .anyMatch(step -> step.endsWith(".log.swap"));
            assertEquals(committed ? complete.records() : before, crashed.records(), where);
        }
    }

    @Test
    void aCrashAtAnyStepOfAManyPassCleaningLosesAndDoublesNothing() throws IOException {
        Map<String, String> config = Map.of();
        openCompacted(config);
        putRounds(9, 3);
        put("key-5", null);
        roll();
        Path pristine = closeAndCopy();
        List<TestRecords.ReadRecord> before = TestRecords.readAll(reopen(pristine, config));
        long smallMap = 5 * OffsetMap.BYTES_PER_ENTRY; // 4 keys a pass
        Run complete = clean(pristine, tmp.resolve("complete"), config, smallMap, -1);
        assertEquals(expected(), complete.records());

        assertTrue(complete.steps().size() > 20, complete.steps().toString());
        for (int crashAt = 0; crashAt < complete.steps().size(); crashAt += 2) {
            Run crashed = clean(pristine, tmp.resolve("run-" + crashAt), config, smallMap, crashAt);
            String where = "crash after '" + complete.steps().get(crashAt) + "'";
            assertTrue(before.containsAll(crashed.records()), where + ": records were changed or invented");
            assertTrue(crashed.records().containsAll(complete.records()), where + ": a latest record was lost");
            Set<Long> offsets = new HashSet<>();
            for (TestRecords.ReadRecord record : crashed.records())
                assertTrue(offsets.add(record.offset()), where + ": offset " + record.offset() + " twice");
        }
    }

    /**
     * Transactions, committed and aborted, with abort markers in several of the replaced segments: whatever step
     * a crash cuts, read_committed readers see what they saw before the cleaning or after it, and no transaction
     * index is left without its segment (one would name aborted transactions to a segment later created at its
     * base offset).
     */
    @Test
    void aCrashAtAnyStepOfReplacingSegmentsWithTransactionIndexesKeepsReadCommittedRight() throws IOException {
        Map<String, String> config = Map.of("segment.bytes", "1048576");
        openCompacted(config);
        long producerId = 7;
        for (int round = 0; round < 4; round++) {
            put("key-" + round, "before-" + round);
            log.append(MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, (short) 0, round,
                    new SimpleRecord(clock.millis(),
                            TestRecords.bytes("key-" + round), TestRecords.bytes("txn-" + round))));
            log.appendTransactionMarker(producerId, (short) 0, 0, round % 2 == 0
                    ? ControlRecordType.ABORT
                    : ControlRecordType.COMMIT);
            roll();
        }
        assertEquals(2, files(LogFiles.TXN_INDEX_SUFFIX).size(), "two segments hold an abort marker");
        Path pristine = closeAndCopy();
        List<TestRecords.ReadRecord> before = TestRecords.readCommitted(reopen(pristine, config));
        Run complete = clean(pristine, tmp.resolve("complete"), config, 1 << 20, -1);
        assertEquals(before.stream().filter(r -> !r.value().startsWith("before-1") && !r.value().startsWith("before-3"))
                .toList(), complete.committed(), "the committed transactions replaced their keys' earlier values");

        for (int crashAt = 0; crashAt < complete.steps().size(); crashAt++) {
            Run crashed = clean(pristine, tmp.resolve("run-" + crashAt), config, 1 << 20, crashAt);
            String where = "crash after '" + complete.steps().get(crashAt) + "'";
            boolean committed = complete.steps().subList(0, crashAt + 1).stream()
                    .anyMatch(step -> step.endsWith(".log.swap"));
            assertEquals(committed ? complete.committed() : before, crashed.committed(), where);
        }
    }

    private Path closeAndCopy() throws IOException {
        log.close();
        log = null;
        Path pristine = tmp.resolve("pristine/orders-0");
        copyDirectory(dir(), pristine);
        return pristine;
    }

    private final List<PartitionLog> opened = new ArrayList<>();

    private PartitionLog reopen(Path dir, Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>(COMPACTED);
        config.putAll(overrides);
        PartitionLog reopened = PartitionLog.open(dir, TP, LogConfig.fromMap(config), clock);
        opened.add(reopened);
        return reopened;
    }

    @org.junit.jupiter.api.AfterEach
    void closeOpened() {
        opened.forEach(PartitionLog::close);
    }

    /**
     * Copies {@code pristine} into {@code root}, cleans the copy and, if {@code crashAt} is not -1, copies the
     * directory as it is after step {@code crashAt} to {@code root/crashed} and fails the cleaning there. Returns
     * the records of the copy that survived (the crashed one, reopened as after a crash), and the steps taken.
     */
    private Run clean(Path pristine, Path root, Map<String, String> overrides, long mapMemory, int crashAt)
            throws IOException {
        Path live = root.resolve("live/orders-0");
        Path crashed = root.resolve("crashed/orders-0");
        copyDirectory(pristine, live);
        PartitionLog target = reopen(live, overrides);
        List<String> steps = new ArrayList<>();
        try (LogCleaner cleaner = new LogCleaner(CleanerConfig.defaults(), root, clock, new CleanerMetrics(),
                () -> List.of(target), mapMemory, step -> {
                    steps.add(step);
                    if (steps.size() - 1 == crashAt) {
                        copyDirectory(live, crashed);
                        throw new IOException("killed after: " + step);
                    }
                })) {
            assertTrue(cleaner.cleanOnce());
        }
        if (crashAt < 0)
            return new Run(TestRecords.readAll(target), TestRecords.readCommitted(target), steps);
        assertTrue(Files.isDirectory(crashed), "the cleaning reached step " + crashAt + ": " + steps);
        PartitionLog recovered = reopen(crashed, overrides);
        try (Stream<Path> files = Files.list(crashed)) {
            List<String> leftovers = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(LogFiles.CLEANED_SUFFIX) || n.endsWith(LogFiles.SWAP_SUFFIX)
                            || n.endsWith(LogFiles.DELETED_SUFFIX)).toList();
            assertEquals(List.of(), leftovers, "recovery leaves no temporary files");
        }
        try (Stream<Path> files = Files.list(crashed)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(LogFiles.INDEX_SUFFIX) || name.endsWith(LogFiles.TIME_INDEX_SUFFIX)
                        || name.endsWith(LogFiles.TXN_INDEX_SUFFIX))
                    assertTrue(Files.exists(file.resolveSibling(name.substring(0, name.lastIndexOf('.'))
                            + LogFiles.LOG_SUFFIX)), "recovery leaves no index without its segment: " + name);
            }
        }
        List<TestRecords.ReadRecord> records = TestRecords.readAll(recovered);
        List<TestRecords.ReadRecord> committed = TestRecords.readCommitted(recovered);
        recovered.append(keyed(clock.millis(), "after-recovery", "x"));
        return new Run(records, committed, steps);
    }
}
