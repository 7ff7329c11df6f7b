package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeIndexTest {
    @TempDir
    Path tmp;

    @Test
    void keepsOnlyIncreasingTimestampsAndLooksUpStrictlyBelow() throws IOException {
        TimeIndex index = new TimeIndex(tmp.resolve("00000000000000000000.timeindex"), 0, 12 * 10);
        index.maybeAppend(100, 5, false);
        index.maybeAppend(100, 8, false); // not larger: ignored
        index.maybeAppend(90, 9, false);  // not larger: ignored
        index.maybeAppend(200, 12, false);
        assertEquals(2, index.entries());
        assertEquals(new TimestampOffset(-1, 0), index.lookupBefore(100));
        assertEquals(new TimestampOffset(100, 5), index.lookupBefore(101));
        assertEquals(new TimestampOffset(100, 5), index.lookupBefore(200));
        assertEquals(new TimestampOffset(200, 12), index.lookupBefore(Long.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> index.maybeAppend(300, 11, false));
        assertEquals(new TimestampOffset(200, 12), index.lastEntry());
    }

    @Test
    void reservesTheLastSlotForTheRoll() throws IOException {
        TimeIndex index = new TimeIndex(tmp.resolve("00000000000000000000.timeindex"), 0, 36);
        index.maybeAppend(1, 1, false);
        index.maybeAppend(2, 2, false);
        assertTrue(index.isFull(), "3 slots, one reserved");
        assertThrows(IllegalStateException.class, () -> index.maybeAppend(3, 3, false));
        index.maybeAppend(3, 3, true);
        assertEquals(3, index.entries());
    }

    /** Brute force: the first offset whose timestamp is >= t, over non-monotonic timestamps and many segments. */
    @Test
    void offsetForTimestampMatchesAScanOfAllRecords() {
        TopicPartition tp = new TopicPartition("times", 0);
        PartitionLog log = PartitionLog.open(tmp.resolve("times-0"), tp,
                LogConfig.fromMap(Map.of("index.interval.bytes", "100", "segment.bytes", "3000")), new ManualClock(0));
        try {
            Random random = new Random(42);
            List<Long> timestamps = new ArrayList<>();
            for (int b = 0; b < 150; b++) {
                long[] ts = new long[1 + random.nextInt(3)];
                for (int i = 0; i < ts.length; i++) {
                    // mostly increasing, sometimes jumping back (producers' clocks are not monotonic)
                    ts[i] = 1000L + timestamps.size() * 10L + (random.nextInt(10) == 0 ? -random.nextInt(300) : 0);
                    timestamps.add(ts[i]);
                }
                log.append(TestRecords.batchWithTimestamps(ts));
            }
            assertTrue(log.segmentCount() > 3);
            long maxTs = timestamps.stream().mapToLong(Long::longValue).max().orElseThrow();
            for (long target = 500; target <= maxTs + 20; target += 3) {
                Optional<TimestampOffset> expected = Optional.empty();
                for (int offset = 0; offset < timestamps.size(); offset++) {
                    if (timestamps.get(offset) >= target) {
                        expected = Optional.of(new TimestampOffset(timestamps.get(offset), offset));
                        break;
                    }
                }
                assertEquals(expected, log.offsetForTimestamp(target), "target " + target);
            }
        } finally {
            log.close();
        }
    }

    @Test
    void offsetForTimestampSurvivesRestartWithoutAScan() {
        TopicPartition tp = new TopicPartition("times", 1);
        Path dir = tmp.resolve("times-1");
        LogConfig config = LogConfig.fromMap(Map.of("segment.bytes", "500", "index.interval.bytes", "0"));
        PartitionLog log = PartitionLog.open(dir, tp, config, new ManualClock(0));
        for (int i = 0; i < 40; i++)
            log.append(TestRecords.batchWithTimestamps(100L * i));
        List<Optional<TimestampOffset>> before = new ArrayList<>();
        for (long t = 0; t <= 4000; t += 50)
            before.add(log.offsetForTimestamp(t));
        log.close();
        PartitionLog reopened = PartitionLog.open(dir, tp, config, new ManualClock(0));
        try {
            assertEquals(0, reopened.recoveryInfo().segmentsRecovered());
            List<Optional<TimestampOffset>> after = new ArrayList<>();
            for (long t = 0; t <= 4000; t += 50)
                after.add(reopened.offsetForTimestamp(t));
            assertEquals(before, after);
            assertEquals(Optional.of(new TimestampOffset(1000, 10)), reopened.offsetForTimestamp(951));
            assertEquals(Optional.empty(), reopened.offsetForTimestamp(3901));
        } finally {
            reopened.close();
        }
    }
}
