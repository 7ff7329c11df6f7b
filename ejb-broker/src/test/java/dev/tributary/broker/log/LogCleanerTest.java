package dev.tributary.broker.log;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.logging.Level;
import java.util.stream.Stream;

import static dev.tributary.broker.log.TestRecords.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What compaction keeps and removes, and how a cleaning fails, stops and picks up again. */
class LogCleanerTest extends CompactedLogTest {

    @Test
    void theLatestRecordOfEveryKeyStaysWithItsOffsetTimestampAndHeaders() throws IOException {
        openCompacted(Map.of());
        for (int round = 0; round < 5; round++) {
            clock.advance(1000);
            putRounds(10, 1);
        }
        put("key-3", null);
        put("key-7", "last");
        roll();
        long end = log.logEndOffset();

        assertTrue(cleaner().cleanOnce());

        List<TestRecords.ReadRecord> kept = readAll(log);
        assertEquals(expected(), kept, "offsets, timestamps, headers and the tombstone of key-3 as written");
        assertEquals(10, byKey(kept).size());
        assertEquals(end, log.logEndOffset(), "offsets never change");
        assertTrue(cleanerMetrics.bytesRead() > cleanerMetrics.bytesWritten(), "bytes cleaned are counted");
        assertEquals(1, cleanerMetrics.cleanings());
        assertEquals(List.of(), files(LogFiles.CLEANED_SUFFIX));
        assertEquals(List.of(), files(LogFiles.SWAP_SUFFIX));
    }

    /** Batches of several records, compressed or not: the map reads the keys in place or decompressed. */
    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = {"NONE", "GZIP", "SNAPPY", "LZ4", "ZSTD"})
    void batchesOfManyRecordsCompressedOrNotAreCompactedRecordByRecord(CompressionType type) throws IOException {
        openCompacted(Map.of("segment.bytes", "4096"));
        Compression compression = Compression.of(type).build();
        int n = 0;
        for (int round = 0; round < 8; round++) {
            clock.advance(10);
            SimpleRecord[] records = new SimpleRecord[7];
            for (int i = 0; i < records.length; i++, n++) {
                String key = "key-" + (n * 3 % 11);
                String value = n % 13 == 0 ? null : "value-" + n + "-with-some-length-to-it";
                records[i] = new SimpleRecord(clock.millis() + i, bytes(key), value == null ? null : bytes(value),
                        new Header[]{new RecordHeader("n", bytes(Integer.toString(n)))});
            }
            LogAppendInfo info = log.append(MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V2, 0L, compression,
                    TimestampType.CREATE_TIME, records));
            for (int i = 0; i < records.length; i++) {
                String key = TestRecords.string(records[i].key());
                String value = TestRecords.string(records[i].value());
                latest.put(key, new TestRecords.ReadRecord(info.firstOffset() + i, records[i].timestamp(), key, value,
                        List.of("n=" + (info.firstOffset() + i))));
            }
        }
        roll();

        assertTrue(cleaner().cleanOnce());

        assertEquals(expected(), readAll(log), type + ": the latest record of each of the 11 keys, as written");
    }

    @Test
    void aTombstoneGoesWithItsKeyOnceDeleteRetentionIsOver() throws IOException {
        openCompacted(Map.of("delete.retention.ms", "60000"));
        putRounds(5, 3);
        put("key-1", null);
        roll();
        cleaner().cleanOnce();
        assertEquals(expected(), readAll(log), "the tombstone stays for delete.retention.ms");
        assertTrue(readAll(log).stream().anyMatch(r -> r.key().equals("key-1") && r.value() == null));

        clock.advance(59_999);
        assertFalse(cleaner.cleanOnce(), "nothing is due yet");
        clock.advance(1);
        assertTrue(cleaner.cleanOnce(), "the tombstone is due: the log is cleaned although nothing is dirty");
        assertEquals(expectedWithoutTombstones(), readAll(log));
        assertFalse(byKey(readAll(log)).containsKey("key-1"), "a consumer from the start sees nothing of key-1");
    }

    @Test
    void theActiveSegmentIsNeverCleaned() {
        openCompacted(Map.of());
        putRounds(3, 4); // 12 small records: all in the active segment
        assertEquals(1, log.segmentCount());
        List<TestRecords.ReadRecord> before = readAll(log);

        assertFalse(cleaner().cleanOnce());
        assertEquals(before, readAll(log));
    }

    @Test
    void onlySegmentsWhollyBelowTheHighWatermarkAreCleaned() throws IOException {
        log = PartitionLog.open(dir(), TP, LogConfig.fromMap(COMPACTED), clock,
                new dev.tributary.broker.metrics.BrokerMetrics(), false);
        putRounds(10, 4);
        roll();
        log.updateHighWatermark(20);
        long holdingHighWatermark = log.local().segments().stream().mapToLong(LogSegment::baseOffset)
                .filter(base -> base <= 20).max().orElseThrow();
        assertTrue(holdingHighWatermark > 0, "the high watermark is not in the first segment");
        assertTrue(cleaner().cleanOnce());
        assertEquals(holdingHighWatermark, cleaner.status(log).orElseThrow().firstDirtyOffset(),
                "cleaned up to the segment holding the high watermark, not into it");
        assertEquals(40 - holdingHighWatermark, recordsFrom(holdingHighWatermark),
                "the records from there on are all still there");
        log.updateHighWatermark(log.logEndOffset());
        assertTrue(cleaner.cleanOnce());
        assertEquals(expected(), readAll(log));
    }

    @Test
    void recordsYoungerThanMinCompactionLagStayUncleaned() throws IOException {
        openCompacted(Map.of("min.compaction.lag.ms", "60000"));
        putRounds(5, 4);
        roll();
        assertFalse(cleaner().cleanOnce(), "every record is younger than a minute");
        clock.advance(60_001);
        assertTrue(cleaner.cleanOnce());
        assertEquals(expected(), readAll(log));
    }

    @Test
    void maxCompactionLagRollsTheActiveSegmentAndCleansWhateverTheDirtyRatio() throws IOException {
        openCompacted(Map.of("max.compaction.lag.ms", "60000", "min.cleanable.dirty.ratio", "0.99"));
        putRounds(10, 3);
        roll();
        cleaner().cleanOnce();
        put("key-1", "again");
        put("key-1", "and again");
        int segments = log.segmentCount();
        clock.advance(60_001);
        put("key-new", "later"); // a new key: the active segment is never cleaned
        assertEquals(segments + 1, log.segmentCount(), "the active segment was older than max.compaction.lag.ms");

        CleaningStatus status = cleaner.status(log).orElseThrow();
        assertTrue(status.dirtyRatio() < 0.99, "the dirty part is small: " + status);
        assertTrue(cleaner.cleanOnce(), "a dirty record waited max.compaction.lag.ms");
        assertEquals(expected(), readAll(log));
    }

    @Test
    void aPartitionWithMoreKeysThanTheMapHoldsIsCleanedInSeveralPasses() throws IOException, InterruptedException {
        openCompacted(Map.of("segment.bytes", "4096"));
        putRounds(200, 3);
        roll();
        Cleaner small = new Cleaner(40 * OffsetMap.BYTES_PER_ENTRY, new Throttler(Double.MAX_VALUE), clock,
                CleaningSteps.NONE);
        List<Long> checkpoints = new ArrayList<>();

        CleanerStats stats = small.clean(LogToClean.of(log, OptionalLong.empty(), false, clock.millis()),
                checkpoints::add, () -> { });

        assertTrue(stats.passes() >= 200 * 3 / 36, stats.passes() + " passes; a map of 40 slots holds 36 keys");
        assertEquals(stats.passes(), checkpoints.size(), "every pass is checkpointed");
        assertEquals(checkpoints.stream().sorted().toList(), checkpoints, "each pass starts where the last ended");
        assertEquals(log.local().activeSegment().baseOffset(), checkpoints.get(checkpoints.size() - 1));
        assertEquals(expected(), readAll(log));
    }

    @Test
    void theCleanerTakesItsTinyMapThroughManyPassesToo() throws IOException {
        openCompacted(Map.of());
        putRounds(30, 2);
        roll();
        assertTrue(cleaner(3 * OffsetMap.BYTES_PER_ENTRY, CleaningSteps.NONE, () -> List.of(log)).cleanOnce());
        assertEquals(expected(), readAll(log), "a map of three slots cleans two keys a pass");
    }

    @Test
    void theLastBatchOfAnIdempotentProducerStaysSoItsSequenceSurvivesAReload() throws IOException {
        openCompacted(Map.of());
        long producerId = 7;
        log.append(MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, (short) 0, 0,
                new SimpleRecord(clock.millis(), bytes("a"), bytes("from-producer"))));
        log.append(MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, (short) 0, 1,
                new SimpleRecord(clock.millis(), bytes("b"), bytes("from-producer"))));
        put("a", "overwritten");
        put("b", "overwritten");
        roll();

        cleaner().cleanOnce();

        assertEquals(expected(), readAll(log), "the producer's records were overwritten");
        List<FileChannelRecordBatch> producerBatches = new ArrayList<>();
        for (LogSegment segment : log.local().segments())
            segment.records().batches().forEach(b -> {
                if (b.producerId() == producerId)
                    producerBatches.add(b);
            });
        assertEquals(1, producerBatches.size(), "only its last batch, kept empty");
        assertEquals(1, producerBatches.get(0).lastSequence());
        assertEquals(0, producerBatches.get(0).countOrNull());

        log.close();
        try (Stream<Path> snapshots = Files.list(dir())) {
            for (Path snapshot : snapshots.filter(p -> p.toString().endsWith(LogFiles.SNAPSHOT_SUFFIX)).toList())
                Files.delete(snapshot); // the producer state must come from the segments alone
        }
        openCompacted(Map.of());
        MemoryRecords gap = MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, (short) 0, 5,
                new SimpleRecord(clock.millis(), bytes("c"), bytes("x")));
        assertThrows(OutOfOrderSequenceException.class, () -> log.append(gap), "the producer is known, at sequence 1");
        LogAppendInfo next = log.append(MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, (short) 0, 2,
                new SimpleRecord(clock.millis(), bytes("c"), bytes("next"))));
        assertFalse(next.duplicate());
    }

    /** As in Kafka, groups are formed by the segments' sizes before cleaning: the next cleaning merges them. */
    @Test
    void smallSegmentsAreMergedUpToSegmentBytes() throws IOException {
        openCompacted(Map.of("segment.bytes", "1024"));
        putRounds(4, 40);
        roll();
        int before = log.segmentCount();
        assertTrue(before > 5, before + " segments");
        cleaner().cleanOnce();
        putRounds(4, 1);
        roll();

        cleaner.cleanOnce();

        assertTrue(log.segmentCount() <= before / 4, log.segmentCount() + " segments of " + before);
        assertEquals(expected(), readAll(log));
        for (LogSegment segment : log.local().segments())
            assertTrue(segment.size() <= 1024, segment.toString());
    }

    @Test
    void groupsFitSegmentBytesAndNeverEndWithAnEmptySegment() throws IOException {
        openCompacted(Map.of("segment.bytes", "1024"));
        putRounds(10, 6);
        roll();
        List<LogSegment> sealed = new ArrayList<>(log.local().segments());
        sealed.remove(sealed.size() - 1);
        List<List<LogSegment>> groups = Cleaner.groupBySize(sealed, log.config());
        assertEquals(sealed, groups.stream().flatMap(List::stream).toList(), "every segment once, in order");
        for (List<LogSegment> group : groups)
            assertTrue(group.stream().mapToLong(LogSegment::size).sum() <= 1024 || group.size() == 1, "" + group);
    }

    @Test
    void readsAndFollowersGoAcrossTheGapsCompactionLeaves() throws IOException {
        openCompacted(Map.of());
        putRounds(6, 5);
        clock.advance(5000);
        TestRecords.ReadRecord late = put("key-0", "late");
        roll();
        cleaner().cleanOnce();
        List<TestRecords.ReadRecord> kept = readAll(log);
        assertTrue(kept.get(0).offset() > 3, "offsets 0 to 3 at least are a gap: " + kept);

        assertEquals(kept, TestRecords.readFrom(log, 3, 4096), "a fetch inside a gap starts at the next batch");
        assertEquals(late.offset(), log.offsetForTimestamp(late.timestamp()).orElseThrow().offset());
        assertEquals(0, log.logStartOffset(), "the log start offset stays where the log starts");

        PartitionLog follower = PartitionLog.open(tmp.resolve("follower/orders-0"), TP, LogConfig.fromMap(COMPACTED),
                clock, new dev.tributary.broker.metrics.BrokerMetrics(), false);
        try {
            while (follower.logEndOffset() < log.logEndOffset())
                follower.appendAsFollower(TestRecords.replicate(log, follower.logEndOffset()));
            follower.updateHighWatermark(log.logEndOffset());
            assertEquals(kept, readAll(follower), "the follower holds the same records at the same offsets");
        } finally {
            follower.close();
        }
    }

    @Test
    void aCompactedTopicRefusesRecordsWithoutAKey() {
        openCompacted(Map.of());
        InvalidRecordException e = assertThrows(InvalidRecordException.class,
                () -> log.append(TestRecords.batchWithTimestamps(clock.millis())));
        assertEquals("Compacted topic cannot accept message without key in topic partition orders-0.", e.getMessage());
        assertEquals(0, log.logEndOffset());
    }

    @Test
    void compactAndDeleteAppliesRetentionToo() throws IOException {
        openCompacted(Map.of("cleanup.policy", "compact,delete", "retention.ms", "10000"));
        putRounds(5, 4);
        roll();
        clock.advance(20_000);
        putRounds(5, 1);
        roll();
        long firstNew = latest.get("key-0").offset();

        assertTrue(log.applyRetention(clock.millis()) > 0);
        assertEquals(firstNew, log.logStartOffset(), "the expired segments are gone");
        cleaner().cleanOnce();
        assertEquals(expected(), readAll(log));
    }

    @Test
    void aCompactOnlyLogKeepsItsRecordsBeyondRetention() throws IOException {
        openCompacted(Map.of("retention.ms", "10000", "retention.bytes", "100"));
        putRounds(5, 4);
        roll();
        clock.advance(20_000);

        assertEquals(0, log.applyRetention(clock.millis()), "retention.ms and retention.bytes need delete");
        cleaner().cleanOnce();
        assertEquals(expected(), readAll(log), "the latest value of every key is kept for ever");
    }

    @Test
    void aDamagedBatchFailsThatPartitionsCleaningOnceAndLeavesItOnline() throws IOException {
        openCompacted(Map.of());
        putRounds(5, 4);
        roll();
        Path firstSegment = LogFiles.logFile(dir(), 0);
        TestRecords.flipByte(firstSegment, 70); // inside the first batch's records
        PartitionLog other = PartitionLog.open(tmp.resolve("other-0"), new org.apache.kafka.common.TopicPartition(
                "other", 0), LogConfig.fromMap(COMPACTED), clock);
        try {
            for (int i = 0; i < 30; i++)
                other.append(keyed(clock.millis(), "k" + (i % 3), "v" + i));
            other.local().roll();
            cleaner(1 << 20, CleaningSteps.NONE, () -> List.of(log, other));

            try (LogCapture warnings = new LogCapture(LogCleanerManager.class)) {
                assertTrue(cleaner.cleanOnce());
                assertTrue(cleaner.cleanOnce());
                assertFalse(cleaner.cleanOnce(), "the failed partition is not tried again");
                assertEquals(1, warnings.messagesAt(Level.WARNING).size(), "why is logged once");
                assertTrue(warnings.messagesAt(Level.WARNING).get(0).contains("orders-0"));
            }
            CleaningStatus status = cleaner.status(log).orElseThrow();
            assertTrue(status.failed());
            assertTrue(status.reason().orElseThrow().contains("damaged batch at position 0"), status.toString());
            assertEquals(1, cleanerMetrics.failedPartitions());
            assertEquals(3, readAll(other).size(), "the other partition was cleaned");

            put("key-0", "still-writable");
            assertEquals("still-writable", byKey(TestRecords.readFrom(log, latest.get("key-0").offset(), 4096))
                    .get("key-0").value());
        } finally {
            other.close();
        }
    }

    @Test
    void aFullDiskFailsTheCleaningAndRemovesItsOutputNotThePartition() throws IOException {
        openCompacted(Map.of());
        putRounds(5, 4);
        roll();
        List<TestRecords.ReadRecord> before = readAll(log);
        cleaner(1 << 20, step -> {
            if (step.startsWith("renamed the time index to") && step.endsWith(".swap"))
                throw new IOException("No space left on device");
        }, () -> List.of(log));

        assertTrue(cleaner.cleanOnce());

        CleaningStatus status = cleaner.status(log).orElseThrow();
        assertEquals(CleaningStatus.FAILED, status.state());
        assertTrue(status.reason().orElseThrow().contains("No space left on device"), status.toString());
        assertEquals(before, readAll(log), "the log is as it was");
        assertEquals(List.of(), files(LogFiles.CLEANED_SUFFIX));
        assertEquals(List.of(), files(LogFiles.SWAP_SUFFIX));
        put("key-9", "after");
        assertEquals(before.size() + 1, readAll(log).size(), "and takes appends");
    }

    @Test
    void aTruncationStopsACleaningUnderWayAndMovesTheCheckpointDown() throws IOException {
        openCompacted(Map.of());
        putRounds(5, 6);
        roll();
        long cut = latest.get("key-0").offset();
        cleaner(1 << 20, step -> {
            if (step.startsWith("wrote the compacted segment"))
                log.truncateTo(cut);
        }, () -> List.of(log));

        assertTrue(cleaner.cleanOnce());

        assertTrue(cleaner.state(TP).isEmpty(), "idle again, not failed: " + cleaner.state(TP));
        assertEquals(List.of(), files(LogFiles.CLEANED_SUFFIX));
        assertEquals(cut, log.logEndOffset());
        assertTrue(cleaner.status(log).orElseThrow().firstDirtyOffset() <= cut);
    }

    @Test
    void theCheckpointKeepsWhatWasCleanedAcrossARestart() throws IOException {
        openCompacted(Map.of());
        putRounds(5, 4);
        roll();
        cleaner().cleanOnce();
        long cleanedUpTo = cleaner.status(log).orElseThrow().firstDirtyOffset();
        assertEquals(log.local().activeSegment().baseOffset(), cleanedUpTo);
        assertTrue(Files.exists(tmp.resolve(CleanerCheckpoint.FILE_NAME)));
        cleaner.close();

        LogCleaner restarted = cleaner();
        CleaningStatus status = restarted.status(log).orElseThrow();
        assertEquals(cleanedUpTo, status.firstDirtyOffset());
        assertEquals(0.0, status.dirtyRatio());
        assertEquals(CleaningStatus.IDLE, status.state());
        assertFalse(restarted.cleanOnce(), "nothing is dirty");
    }

    @Test
    void aPausedPartitionIsLeftAloneUntilResumed() throws IOException {
        openCompacted(Map.of());
        putRounds(5, 4);
        roll();
        cleaner().abortAndPause(TP, "moving the log");
        assertEquals("moving the log", cleaner.status(log).orElseThrow().reason().orElseThrow());
        assertFalse(cleaner.cleanOnce());
        cleaner.resume(TP);
        assertTrue(cleaner.cleanOnce());
        assertInstanceOf(IllegalStateException.class, assertThrows(RuntimeException.class, () -> cleaner.resume(TP)));
    }

    /** Records in the segments at and after {@code offset}, read from the files whatever the high watermark. */
    private long recordsFrom(long offset) {
        long count = 0;
        for (LogSegment segment : log.local().segments()) {
            if (segment.baseOffset() >= offset) {
                for (FileChannelRecordBatch batch : segment.records().batches())
                    count += batch.countOrNull();
            }
        }
        return count;
    }

    @Test
    void aLogWithDeletePolicyHasNoCleanerStatus() {
        open(Map.of(), true);
        assertTrue(cleaner().status(log).isEmpty());
        assertFalse(cleaner.cleanOnce());
    }
}
