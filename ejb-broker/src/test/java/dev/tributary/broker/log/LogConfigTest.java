package dev.tributary.broker.log;

import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogConfigTest {

    @Test
    void defaultsAreKafkasExceptFlushMessages() {
        LogConfig c = LogConfig.defaults();
        assertEquals(1073741824, c.segmentBytes());
        assertEquals(604800000L, c.segmentMs());
        assertEquals(604800000L, c.retentionMs());
        assertEquals(-1L, c.retentionBytes());
        assertEquals(1048588, c.maxMessageBytes());
        assertEquals(1L, c.flushMessages());
        assertEquals(Long.MAX_VALUE, c.flushMs());
        assertEquals(4096, c.indexIntervalBytes());
        assertEquals(10485760, c.segmentIndexBytes());
        assertEquals(TimestampType.CREATE_TIME, c.messageTimestampType());
        assertEquals("delete", c.cleanupPolicy());
        assertEquals(60000L, c.fileDeleteDelayMs());
        assertEquals(0.5, c.minCleanableDirtyRatio());
        assertEquals(0L, c.minCompactionLagMs());
        assertEquals(Long.MAX_VALUE, c.maxCompactionLagMs());
        assertEquals(86400000L, c.deleteRetentionMs());
        assertEquals(c, LogConfig.fromMap(Map.of()));
    }

    @Test
    void toMapListsEveryKeyAndRoundTrips() {
        LogConfig c = LogConfig.fromMap(Map.of("segment.bytes", "2048", "retention.ms", "-1",
                "message.timestamp.type", "LogAppendTime", "flush.messages", "9223372036854775807"));
        Map<String, String> map = c.toMap();
        assertEquals(LogConfig.supportedKeys(), map.keySet());
        assertEquals("2048", map.get("segment.bytes"));
        assertEquals("-1", map.get("retention.ms"));
        assertEquals("LogAppendTime", map.get("message.timestamp.type"));
        assertEquals("1073741824", LogConfig.defaults().toMap().get("segment.bytes"));
        assertEquals(c, LogConfig.fromMap(map));
        assertEquals(TimestampType.LOG_APPEND_TIME, c.messageTimestampType());
        assertEquals(Long.MAX_VALUE, c.flushMessages());
    }

    @Test
    void withOverridesKeepsOtherValues() {
        LogConfig base = LogConfig.fromMap(Map.of("segment.bytes", "4096"));
        LogConfig changed = base.withOverrides(Map.of("retention.bytes", "100"));
        assertEquals(4096, changed.segmentBytes());
        assertEquals(100, changed.retentionBytes());
    }

    @Test
    void unknownKeyIsRejectedByName() {
        InvalidLogConfigException e = assertThrows(InvalidLogConfigException.class,
                () -> LogConfig.fromMap(Map.of("segment.byte", "1")));
        assertTrue(e.getMessage().contains("segment.byte"), e.getMessage());
        assertInstanceOf(InvalidConfigurationException.class, e, "maps to Kafka's INVALID_CONFIG");
    }

    @Test
    void malformedValueNamesKeyAndValue() {
        InvalidLogConfigException e = assertThrows(InvalidLogConfigException.class,
                () -> LogConfig.fromMap(Map.of("retention.ms", "one week")));
        assertTrue(e.getMessage().contains("retention.ms") && e.getMessage().contains("one week"), e.getMessage());

        e = assertThrows(InvalidLogConfigException.class, () -> LogConfig.fromMap(Map.of("segment.bytes", "3000000000")));
        assertTrue(e.getMessage().contains("segment.bytes"), e.getMessage());

        e = assertThrows(InvalidLogConfigException.class,
                () -> LogConfig.fromMap(Map.of("message.timestamp.type", "WallClock")));
        assertTrue(e.getMessage().contains("message.timestamp.type"), e.getMessage());

        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("flush.ms", null);
        e = assertThrows(InvalidLogConfigException.class, () -> LogConfig.fromMap(nullValue));
        assertTrue(e.getMessage().contains("flush.ms"), e.getMessage());
    }

    @Test
    void outOfRangeValuesAreRejected() {
        for (String[] kv : new String[][]{{"flush.messages", "0"}, {"retention.ms", "-2"}, {"segment.ms", "0"},
                {"retention.bytes", "-5"}, {"index.interval.bytes", "-1"}, {"segment.index.bytes", "8"},
                {"segment.bytes", "10"}, {"max.message.bytes", "-1"}, {"file.delete.delay.ms", "-1"}}) {
            InvalidLogConfigException e = assertThrows(InvalidLogConfigException.class,
                    () -> LogConfig.fromMap(Map.of(kv[0], kv[1])), kv[0]);
            assertTrue(e.getMessage().contains(kv[0]) && e.getMessage().contains("at least"), e.getMessage());
        }
    }

    @Test
    void cleanupPolicyIsAListOfCompactAndDelete() {
        LogConfig compact = LogConfig.fromMap(Map.of("cleanup.policy", "compact"));
        assertTrue(compact.compact());
        assertFalse(compact.delete());
        LogConfig both = LogConfig.fromMap(Map.of("cleanup.policy", "delete, compact"));
        assertEquals("delete,compact", both.cleanupPolicy(), "items trimmed, as Kafka's LIST type reads them");
        assertTrue(both.compact() && both.delete());
        assertTrue(LogConfig.fromMap(Map.of("cleanup.policy", "compact,delete")).compact());
        LogConfig delete = LogConfig.defaults();
        assertTrue(delete.delete());
        assertFalse(delete.compact());

        assertMessage("Invalid value shred for configuration cleanup.policy: String must be one of: compact, delete",
                Map.of("cleanup.policy", "shred"));
        assertMessage("Invalid value shred for configuration cleanup.policy: String must be one of: compact, delete",
                Map.of("cleanup.policy", "compact,shred"));
        InvalidLogConfigException empty = assertThrows(InvalidLogConfigException.class,
                () -> LogConfig.fromMap(Map.of("cleanup.policy", " ")));
        assertTrue(empty.getMessage().contains("cleanup.policy"), empty.getMessage());
    }

    @Test
    void compactionKeysHaveKafkasRangesAndMessages() {
        LogConfig c = LogConfig.fromMap(Map.of("min.cleanable.dirty.ratio", "0.01", "min.compaction.lag.ms", "10",
                "max.compaction.lag.ms", "20", "delete.retention.ms", "0"));
        assertEquals(0.01, c.minCleanableDirtyRatio());
        assertEquals(10, c.minCompactionLagMs());
        assertEquals(20, c.maxCompactionLagMs());
        assertEquals(0, c.deleteRetentionMs());
        assertEquals(c, LogConfig.fromMap(c.toMap()));

        // The messages Apache Kafka 4.4.0's LogConfig.validate gives for the same values.
        assertMessage("Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no more than 1",
                Map.of("min.cleanable.dirty.ratio", "1.5"));
        assertMessage("Invalid value -0.1 for configuration min.cleanable.dirty.ratio: Value must be at least 0",
                Map.of("min.cleanable.dirty.ratio", "-0.1"));
        assertMessage("Invalid value abc for configuration min.cleanable.dirty.ratio: Not a number of type DOUBLE",
                Map.of("min.cleanable.dirty.ratio", "abc"));
        assertMessage("Invalid value -1 for configuration min.compaction.lag.ms: Value must be at least 0",
                Map.of("min.compaction.lag.ms", "-1"));
        assertMessage("Invalid value 0 for configuration max.compaction.lag.ms: Value must be at least 1",
                Map.of("max.compaction.lag.ms", "0"));
        assertMessage("Invalid value x for configuration max.compaction.lag.ms: Not a number of type LONG",
                Map.of("max.compaction.lag.ms", "x"));
        assertMessage("Invalid value -1 for configuration delete.retention.ms: Value must be at least 0",
                Map.of("delete.retention.ms", "-1"));
        assertMessage("conflict topic config setting min.compaction.lag.ms (1000) > max.compaction.lag.ms (500)",
                Map.of("min.compaction.lag.ms", "1000", "max.compaction.lag.ms", "500"));
    }

    @Test
    void maxCompactionLagCapsTheActiveSegmentsAgeOfACompactedLogOnly() {
        assertEquals(1000, LogConfig.fromMap(Map.of("cleanup.policy", "compact", "max.compaction.lag.ms", "1000"))
                .maxSegmentMs());
        assertEquals(604800000L, LogConfig.fromMap(Map.of("max.compaction.lag.ms", "1000")).maxSegmentMs());
        assertEquals(604800000L, LogConfig.fromMap(Map.of("cleanup.policy", "compact")).maxSegmentMs());
    }

    private static void assertMessage(String expected, Map<String, String> overrides) {
        InvalidLogConfigException e = assertThrows(InvalidLogConfigException.class, () -> LogConfig.fromMap(overrides));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void replicationKeysAreValidated() {
        assertEquals(2, LogConfig.fromMap(Map.of("min.insync.replicas", "2")).minInsyncReplicas());
        assertTrue(LogConfig.fromMap(Map.of("unclean.leader.election.enable", "true")).uncleanLeaderElection());
        assertThrows(InvalidLogConfigException.class, () -> LogConfig.fromMap(Map.of("min.insync.replicas", "0")));
        assertThrows(InvalidLogConfigException.class,
                () -> LogConfig.fromMap(Map.of("unclean.leader.election.enable", "yes")));
    }

    @Test
    void constructorValidatesToo() {
        LogConfig d = LogConfig.defaults();
        assertThrows(InvalidLogConfigException.class, () -> new LogConfig(d.segmentBytes(), d.segmentMs(),
                d.retentionMs(), d.retentionBytes(), d.maxMessageBytes(), 0, d.flushMs(), d.indexIntervalBytes(),
                d.segmentIndexBytes(), d.messageTimestampType(), d.cleanupPolicy(), d.fileDeleteDelayMs(),
                d.minInsyncReplicas(), d.uncleanLeaderElection(), d.minCleanableDirtyRatio(), d.minCompactionLagMs(),
                d.maxCompactionLagMs(), d.deleteRetentionMs()));
    }
}
