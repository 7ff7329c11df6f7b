/**
 * The partition-log storage engine: a durable, crash-safe, segmented log per topic partition whose files hold
 * Kafka RecordBatch v2 data byte for byte, so that a fetch can be served from a segment file with
 * {@code FileChannel.transferTo}.
 *
 * <p>Modelled on Apache Kafka's storage layer ({@code org.apache.kafka.storage.internals.log}):
 * <ul>
 *   <li>{@link dev.tributary.broker.log.LogManager} owns every partition log under one data directory;</li>
 *   <li>{@link dev.tributary.broker.log.PartitionLog} is one partition's log (Kafka's {@code UnifiedLog}):
 *       a single writer, lock-free readers; it validates appends and assigns offsets, and keeps the log start
 *       offset, the {@link dev.tributary.broker.log.HighWatermark}, leader epochs and producer state above a
 *       {@link dev.tributary.broker.log.LocalLog} (Kafka's {@code LocalLog}): the segments of the partition's
 *       directory — roll, read, truncate, delete, replace — with group-committed fsync and the
 *       {@link dev.tributary.broker.log.RecoveryPoint}; {@link dev.tributary.broker.log.RetentionPolicy} decides
 *       which segments retention deletes;</li>
 *   <li>{@link dev.tributary.broker.log.LogSegment} is one segment: a {@code .log} data file
 *       ({@code FileRecords}), a sparse {@link dev.tributary.broker.log.OffsetIndex} and a
 *       {@link dev.tributary.broker.log.TimeIndex};</li>
 *   <li>{@link dev.tributary.broker.log.LogLoader} recovers a log directory on open, completing or undoing an
 *       interrupted segment replacement ({@link dev.tributary.broker.log.SwapRecovery});</li>
 *   <li>{@link dev.tributary.broker.log.ProducerStateManager} is a log's idempotent-producer state, snapshotted
 *       with the log ({@link dev.tributary.broker.log.ProducerStateSnapshot}) and rebuilt on open
 *       ({@link dev.tributary.broker.log.ProducerStateLoader}); {@link dev.tributary.broker.log.ProducerIdManager}
 *       hands out producer ids that survive restarts.</li>
 *   <li>{@link dev.tributary.broker.log.LeaderEpochHistory} records which leader epoch appended which offsets
 *       ({@code leader-epoch-checkpoint}), for followers to find where their log diverges from the leader's.</li>
 *   <li>Compaction ({@code cleanup.policy=compact}, Kafka's log cleaner): the
 *       {@link dev.tributary.broker.log.LogCleaner}'s threads pick the log that most needs it
 *       ({@code LogCleanerManager}: the {@code LogCleaningState} of each partition, the
 *       {@code cleaner-offset-checkpoint}, {@code LogToClean}); a {@code Cleaner} cleans it pass by pass with an
 *       {@code OffsetMap} bounded by {@code log.cleaner.dedupe.buffer.size}, keeping what the
 *       {@code CompactionFilter} keeps, and swaps each compacted segment in with
 *       {@code LocalLog.replaceSegments}; a {@link dev.tributary.broker.log.Throttler} bounds its I/O.</li>
 * </ul>
 *
 * <p>The package is plain Java plus kafka-clients; it must not depend on Jakarta EE types. The broker boundary
 * owns lifecycle (open on start, {@code runMaintenance} on a schedule, close on shutdown).
 *
 * <p>kafka-clients 4.x moved the record format classes to {@code org.apache.kafka.common.record.internal};
 * they are used here because the segment files must be exactly Kafka's format.
 */
package dev.tributary.broker.log;
