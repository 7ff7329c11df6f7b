package dev.tributary.broker.log;

import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Topic-level configuration of a partition log, under Kafka's topic-config names. Immutable; every instance is
 * valid (the canonical constructor checks ranges and throws {@link InvalidLogConfigException}).
 *
 * <p>Defaults are Kafka's except {@code flush.messages}: Tributary fsyncs every acknowledged append (with group
 * commit, see {@link PartitionLog#append}), where Kafka relies on replication and leaves it at
 * {@code Long.MAX_VALUE}.
 *
 * @param segmentBytes         {@code segment.bytes}: roll when the active segment would exceed this size
 * @param segmentMs            {@code segment.ms}: roll a non-empty active segment this long after its first append
 * @param retentionMs          {@code retention.ms}: delete segments whose newest record is older; -1 = forever
 * @param retentionBytes       {@code retention.bytes}: delete the oldest segments while the log stays at least
 *                             this large without them; -1 = unlimited
 * @param maxMessageBytes      {@code max.message.bytes}: largest record batch accepted
 * @param flushMessages        {@code flush.messages}: fsync once this many messages are unflushed; 1 = every
 *                             append is durable before it is acknowledged; {@code Long.MAX_VALUE} = never on append
 * @param flushMs              {@code flush.ms}: fsync when data has been unflushed this long (checked by
 *                             {@link PartitionLog#flushIfDue}); {@code Long.MAX_VALUE} = never
 * @param indexIntervalBytes   {@code index.interval.bytes}: bytes of batches between offset-index entries
 * @param segmentIndexBytes    {@code segment.index.bytes}: preallocated size of each index file; a full index rolls
 *                             the segment
 * @param messageTimestampType {@code message.timestamp.type}: {@code CreateTime} keeps the producer's timestamps,
 *                             {@code LogAppendTime} stamps batches with the broker clock
 * @param cleanupPolicy        {@code cleanup.policy}: {@code delete} (retention removes old segments),
 *                             {@code compact} (the {@link LogCleaner} keeps the latest record of every key), or
 *                             both, comma-separated (compaction, and retention on top of it)
 * @param fileDeleteDelayMs    {@code file.delete.delay.ms}: how long files of segments removed by retention stay
 *                             on disk (renamed {@code .deleted}) so that in-flight reads of them complete
 * @param minInsyncReplicas    {@code min.insync.replicas}: an {@code acks=all} write is refused with
 *                             NOT_ENOUGH_REPLICAS while fewer replicas than this are in sync
 * @param uncleanLeaderElection {@code unclean.leader.election.enable}: whether a replica outside the in-sync set
 *                             may become leader when none in it is alive (losing what only they held)
 * @param minCleanableDirtyRatio {@code min.cleanable.dirty.ratio}: a compacted log is cleaned once its dirty part
 *                             (written since the last cleaning) is at least this share of the cleanable log
 * @param minCompactionLagMs   {@code min.compaction.lag.ms}: a record stays uncompacted at least this long
 * @param maxCompactionLagMs   {@code max.compaction.lag.ms}: a record becomes cleanable at the latest this long
 *                             after it was written, whatever the dirty ratio; it also caps the active segment's age
 *                             ({@link #maxSegmentMs()}), since the active segment is never cleaned
 * @param deleteRetentionMs    {@code delete.retention.ms}: how long a tombstone (a record with a null value) of a
 *                             compacted log stays readable after the cleaner first met it, so that a consumer
 *                             reading from the start sees the delete
 */
public record LogConfig(int segmentBytes,
                        long segmentMs,
                        long retentionMs,
                        long retentionBytes,
                        int maxMessageBytes,
                        long flushMessages,
                        long flushMs,
                        int indexIntervalBytes,
                        int segmentIndexBytes,
                        TimestampType messageTimestampType,
                        String cleanupPolicy,
                        long fileDeleteDelayMs,
                        int minInsyncReplicas,
                        boolean uncleanLeaderElection,
                        double minCleanableDirtyRatio,
                        long minCompactionLagMs,
                        long maxCompactionLagMs,
                        long deleteRetentionMs) {

    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String FLUSH_MESSAGES = "flush.messages";
    public static final String FLUSH_MS = "flush.ms";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String FILE_DELETE_DELAY_MS = "file.delete.delay.ms";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    public static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";

    public static final String CLEANUP_POLICY_DELETE = "delete";
    public static final String CLEANUP_POLICY_COMPACT = "compact";
    private static final List<String> CLEANUP_POLICIES = List.of(CLEANUP_POLICY_COMPACT, CLEANUP_POLICY_DELETE);

    private static final Set<String> SUPPORTED_KEYS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
            SEGMENT_BYTES, SEGMENT_MS, RETENTION_MS, RETENTION_BYTES, MAX_MESSAGE_BYTES, FLUSH_MESSAGES, FLUSH_MS,
            INDEX_INTERVAL_BYTES, SEGMENT_INDEX_BYTES, MESSAGE_TIMESTAMP_TYPE, CLEANUP_POLICY, FILE_DELETE_DELAY_MS,
            MIN_INSYNC_REPLICAS, UNCLEAN_LEADER_ELECTION_ENABLE, MIN_CLEANABLE_DIRTY_RATIO, MIN_COMPACTION_LAG_MS,
            MAX_COMPACTION_LAG_MS, DELETE_RETENTION_MS)));
    /** Keys whose value is a comma-separated list (Kafka's {@code LIST} type). */
    private static final Set<String> LIST_KEYS = Set.of(CLEANUP_POLICY);

    /** The smallest index that still holds two time-index entries (one is reserved for the roll). */
    private static final int MIN_SEGMENT_INDEX_BYTES = 2 * TimeIndex.ENTRY_SIZE;

    private static final LogConfig DEFAULTS = new LogConfig(
            1073741824,            // segment.bytes: 1 GiB
            604800000L,            // segment.ms: 7 days
            604800000L,            // retention.ms: 7 days
            -1L,                   // retention.bytes: unlimited
            1048588,               // max.message.bytes: 1 MiB + record batch overhead, as Kafka
            1L,                    // flush.messages: every append is durable before it is acknowledged
            Long.MAX_VALUE,        // flush.ms
            4096,                  // index.interval.bytes
            10485760,              // segment.index.bytes: 10 MiB
            TimestampType.CREATE_TIME,
            CLEANUP_POLICY_DELETE,
            60000L,                // file.delete.delay.ms
            1,                     // min.insync.replicas
            false,                 // unclean.leader.election.enable
            0.5,                   // min.cleanable.dirty.ratio
            0L,                    // min.compaction.lag.ms
            Long.MAX_VALUE,        // max.compaction.lag.ms
            86400000L);            // delete.retention.ms: 1 day

    /** Checks every value; the message names the key and the allowed range. */
    public LogConfig {
        atLeast(SEGMENT_BYTES, segmentBytes, DefaultRecordBatch.RECORD_BATCH_OVERHEAD);
        atLeast(SEGMENT_MS, segmentMs, 1);
        atLeast(RETENTION_MS, retentionMs, -1);
        atLeast(RETENTION_BYTES, retentionBytes, -1);
        atLeast(MAX_MESSAGE_BYTES, maxMessageBytes, 0);
        atLeast(FLUSH_MESSAGES, flushMessages, 1);
        atLeast(FLUSH_MS, flushMs, 0);
        atLeast(INDEX_INTERVAL_BYTES, indexIntervalBytes, 0);
        atLeast(SEGMENT_INDEX_BYTES, segmentIndexBytes, MIN_SEGMENT_INDEX_BYTES);
        atLeast(FILE_DELETE_DELAY_MS, fileDeleteDelayMs, 0);
        atLeast(MIN_INSYNC_REPLICAS, minInsyncReplicas, 1);
        if (messageTimestampType != TimestampType.CREATE_TIME && messageTimestampType != TimestampType.LOG_APPEND_TIME)
            throw invalid(messageTimestampType, MESSAGE_TIMESTAMP_TYPE, "String must be one of: CreateTime,"
                    + " LogAppendTime");
        checkCleanupPolicy(cleanupPolicy);
        if (!(minCleanableDirtyRatio >= 0)) // also NaN
            throw invalid(minCleanableDirtyRatio, MIN_CLEANABLE_DIRTY_RATIO, "Value must be at least 0");
        if (minCleanableDirtyRatio > 1)
            throw invalid(minCleanableDirtyRatio, MIN_CLEANABLE_DIRTY_RATIO, "Value must be no more than 1");
        atLeast(MIN_COMPACTION_LAG_MS, minCompactionLagMs, 0);
        atLeast(MAX_COMPACTION_LAG_MS, maxCompactionLagMs, 1);
        atLeast(DELETE_RETENTION_MS, deleteRetentionMs, 0);
        if (minCompactionLagMs > maxCompactionLagMs)
            throw new InvalidLogConfigException("conflict topic config setting " + MIN_COMPACTION_LAG_MS + " ("
                    + minCompactionLagMs + ") > " + MAX_COMPACTION_LAG_MS + " (" + maxCompactionLagMs + ")");
    }

    /** Whether the {@link LogCleaner} compacts the log: {@code cleanup.policy} names {@code compact}. */
    public boolean compact() {
        return cleanupPolicies().contains(CLEANUP_POLICY_COMPACT);
    }

    /**
     * Whether retention deletes old segments by {@code retention.ms} and {@code retention.bytes}:
     * {@code cleanup.policy} names {@code delete}. Segments below the log start offset go in any case.
     */
    public boolean delete() {
        return cleanupPolicies().contains(CLEANUP_POLICY_DELETE);
    }

    private List<String> cleanupPolicies() {
        return Arrays.stream(cleanupPolicy.split(",")).map(String::trim).toList();
    }

    /**
     * How old the active segment may grow before the next append rolls it: {@code segment.ms}, or for a compacted
     * log {@code max.compaction.lag.ms} if that is shorter, so that records reach a cleanable segment in time
     * (Kafka's {@code maxSegmentMs}).
     */
    public long maxSegmentMs() {
        return compact() ? Math.min(segmentMs, maxCompactionLagMs) : segmentMs;
    }

    /** Kafka's defaults, except {@code flush.messages=1} (see the class comment). */
    public static LogConfig defaults() {
        return DEFAULTS;
    }

    /**
     * The defaults with {@code overrides} applied.
     *
     * @throws InvalidLogConfigException if a key is not in {@link #supportedKeys()} or a value is malformed or out
     *                                   of range; the message names the key and the problem
     */
    public static LogConfig fromMap(Map<String, String> overrides) {
        return DEFAULTS.withOverrides(overrides);
    }

    /** This configuration with {@code overrides} applied; same validation as {@link #fromMap}. */
    public LogConfig withOverrides(Map<String, String> overrides) {
        Objects.requireNonNull(overrides, "overrides");
        for (String key : overrides.keySet()) {
            if (!SUPPORTED_KEYS.contains(key))
                throw new InvalidLogConfigException("Unknown log configuration key '" + key + "'; supported keys: "
                        + String.join(", ", SUPPORTED_KEYS));
        }
        Map<String, String> merged = new LinkedHashMap<>(toMap());
        merged.putAll(overrides);
        return new LogConfig(
                parseInt(merged, SEGMENT_BYTES),
                parseLong(merged, SEGMENT_MS),
                parseLong(merged, RETENTION_MS),
                parseLong(merged, RETENTION_BYTES),
                parseInt(merged, MAX_MESSAGE_BYTES),
                parseLong(merged, FLUSH_MESSAGES),
                parseLong(merged, FLUSH_MS),
                parseInt(merged, INDEX_INTERVAL_BYTES),
                parseInt(merged, SEGMENT_INDEX_BYTES),
                parseTimestampType(value(merged, MESSAGE_TIMESTAMP_TYPE)),
                normalizedList(value(merged, CLEANUP_POLICY)),
                parseLong(merged, FILE_DELETE_DELAY_MS),
                parseInt(merged, MIN_INSYNC_REPLICAS),
                parseBoolean(merged, UNCLEAN_LEADER_ELECTION_ENABLE),
                parseDouble(merged, MIN_CLEANABLE_DIRTY_RATIO),
                parseLong(merged, MIN_COMPACTION_LAG_MS),
                parseLong(merged, MAX_COMPACTION_LAG_MS),
                parseLong(merged, DELETE_RETENTION_MS));
    }

    /** Every effective value by key name, in a stable order; {@code fromMap(c.toMap()).equals(c)}. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(SEGMENT_BYTES, Integer.toString(segmentBytes));
        map.put(SEGMENT_MS, Long.toString(segmentMs));
        map.put(RETENTION_MS, Long.toString(retentionMs));
        map.put(RETENTION_BYTES, Long.toString(retentionBytes));
        map.put(MAX_MESSAGE_BYTES, Integer.toString(maxMessageBytes));
        map.put(FLUSH_MESSAGES, Long.toString(flushMessages));
        map.put(FLUSH_MS, Long.toString(flushMs));
        map.put(INDEX_INTERVAL_BYTES, Integer.toString(indexIntervalBytes));
        map.put(SEGMENT_INDEX_BYTES, Integer.toString(segmentIndexBytes));
        map.put(MESSAGE_TIMESTAMP_TYPE, messageTimestampType.name);
        map.put(CLEANUP_POLICY, cleanupPolicy);
        map.put(FILE_DELETE_DELAY_MS, Long.toString(fileDeleteDelayMs));
        map.put(MIN_INSYNC_REPLICAS, Integer.toString(minInsyncReplicas));
        map.put(UNCLEAN_LEADER_ELECTION_ENABLE, Boolean.toString(uncleanLeaderElection));
        map.put(MIN_CLEANABLE_DIRTY_RATIO, Double.toString(minCleanableDirtyRatio));
        map.put(MIN_COMPACTION_LAG_MS, Long.toString(minCompactionLagMs));
        map.put(MAX_COMPACTION_LAG_MS, Long.toString(maxCompactionLagMs));
        map.put(DELETE_RETENTION_MS, Long.toString(deleteRetentionMs));
        return Collections.unmodifiableMap(map);
    }

    /** The keys {@link #fromMap} accepts. */
    public static Set<String> supportedKeys() {
        return SUPPORTED_KEYS;
    }

    /**
     * Whether {@code key}'s value is a comma-separated list (Kafka's {@code LIST} type), the only kind Kafka lets
     * IncrementalAlterConfigs APPEND to and SUBTRACT from.
     */
    public static boolean isListKey(String key) {
        return LIST_KEYS.contains(key);
    }

    private static void atLeast(String key, long value, long min) {
        if (value < min)
            throw invalid(value, key, "Value must be at least " + min);
    }

    /** Kafka's {@code ConfigException} message: "Invalid value V for configuration K: why". */
    private static InvalidLogConfigException invalid(Object value, String key, String why) {
        return new InvalidLogConfigException("Invalid value " + value + " for configuration " + key + ": " + why);
    }

    /**
     * Kafka's rule: a comma-separated list of {@code compact} and {@code delete}. Kafka 4.x also takes an empty list
     * (neither); Tributary refuses it, so that every log says how it is cleaned up.
     */
    private static void checkCleanupPolicy(String policy) {
        if (policy == null)
            throw invalid(null, CLEANUP_POLICY, "a value is required");
        if (policy.isBlank())
            throw invalid("''", CLEANUP_POLICY, "name at least one of: " + String.join(", ", CLEANUP_POLICIES));
        for (String item : policy.split(",", -1)) {
            if (!CLEANUP_POLICIES.contains(item.trim()))
                throw invalid(item.trim(), CLEANUP_POLICY, "String must be one of: "
                        + String.join(", ", CLEANUP_POLICIES));
        }
    }

    /** A list value with its items trimmed and joined by commas, as Kafka's {@code LIST} type reads it. */
    private static String normalizedList(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",", -1))
            items.add(item.trim());
        return String.join(",", items);
    }

    private static String value(Map<String, String> map, String key) {
        String v = map.get(key);
        if (v == null)
            throw invalid(null, key, "a value is required");
        return v;
    }

    private static long parseLong(Map<String, String> map, String key) {
        String v = value(map, key).trim();
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new InvalidLogConfigException("Invalid value " + v + " for configuration " + key
                    + ": Not a number of type LONG", e);
        }
    }

    private static int parseInt(Map<String, String> map, String key) {
        String v = value(map, key).trim();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new InvalidLogConfigException("Invalid value " + v + " for configuration " + key
                    + ": Not a number of type INT", e);
        }
    }

    private static double parseDouble(Map<String, String> map, String key) {
        String v = value(map, key).trim();
        try {
            double d = Double.parseDouble(v);
            if (Double.isNaN(d) || Double.isInfinite(d))
                throw new NumberFormatException(v);
            return d;
        } catch (NumberFormatException e) {
            throw new InvalidLogConfigException("Invalid value " + v + " for configuration " + key
                    + ": Not a number of type DOUBLE", e);
        }
    }

    private static boolean parseBoolean(Map<String, String> map, String key) {
        String v = value(map, key).trim();
        if ("true".equalsIgnoreCase(v) || "false".equalsIgnoreCase(v))
            return Boolean.parseBoolean(v);
        throw invalid(v, key, "Expected value to be either true or false");
    }

    private static TimestampType parseTimestampType(String v) {
        String name = v.trim();
        if (TimestampType.CREATE_TIME.name.equals(name))
            return TimestampType.CREATE_TIME;
        if (TimestampType.LOG_APPEND_TIME.name.equals(name))
            return TimestampType.LOG_APPEND_TIME;
        throw invalid(v, MESSAGE_TIMESTAMP_TYPE, "String must be one of: CreateTime, LogAppendTime");
    }
}
