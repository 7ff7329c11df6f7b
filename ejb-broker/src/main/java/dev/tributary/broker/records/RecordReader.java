package dev.tributary.broker.records;

import dev.tributary.broker.log.FetchDataInfo;
import dev.tributary.broker.log.LogCorruptionException;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.log.TimestampOffset;
import dev.tributary.broker.metrics.BrokerMetrics;
import dev.tributary.broker.metrics.TopicTraffic;
import dev.tributary.broker.topic.HostedReplicas;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads decoded records from a partition for callers that want records rather than batches (REST, and in-VM
 * consumers through {@link dev.tributary.broker.consumer.RecordFetcher}). Reads this broker's replica, whether it
 * leads the partition or follows, and never returns a record at or above that replica's high watermark: a
 * follower's trails the leader's a little, and everything below it is committed. What it returns is counted as
 * served in the topic's {@link TopicTraffic} (bytes: each record's size in its batch).
 *
 * <p>Every batch is checked (CRC included) before a record of it is decoded ({@link PartitionLog#readVerified}):
 * data that went bad on disk is never returned. A bad batch, or a replica already known to hold one, fails the read
 * with {@link LogCorruptionException}, which names the partition and the first offset that cannot be served.
 */
public final class RecordReader {

    /** How much of the log one read step pulls in; a page may take several. */
    private static final int READ_CHUNK_BYTES = 1 << 20;

    private final HostedReplicas replicas;
    private final BrokerMetrics metrics;

    public RecordReader(HostedReplicas replicas, BrokerMetrics metrics) {
        this.replicas = replicas;
        this.metrics = metrics;
    }

    /**
     * @throws OffsetOutOfRangeException if {@code fromOffset} is below the log start offset or above the high
     *         watermark
     * @throws LogCorruptionException    if the replica holds corrupt data
     */
    public RecordPage read(String topic, int partition, long fromOffset, int maxRecords) {
        PartitionLog log = replicas.replicaLog(topic, partition);
        long highWatermark = log.highWatermark();
        if (fromOffset < log.logStartOffset() || fromOffset > highWatermark) {
            throw new OffsetOutOfRangeException("Offset " + fromOffset + " is out of range for " + topic + "-"
                    + partition + ": valid offsets are " + log.logStartOffset() + ".." + highWatermark);
        }
        List<StoredRecord> records = new ArrayList<>(Math.min(maxRecords, 1024));
        long bytes = 0;
        long next = fromOffset;
        while (records.size() < maxRecords && next < highWatermark) {
            FetchDataInfo data = log.readVerified(next, READ_CHUNK_BYTES);
            long afterChunk = next;
            for (RecordBatch batch : data.records().batches()) {
                afterChunk = Math.max(afterChunk, batch.nextOffset());
                if (batch.isControlBatch()) {
                    continue;
                }
                for (Record record : batch) {
                    long offset = record.offset();
                    if (offset >= next && offset < highWatermark && records.size() < maxRecords) {
                        records.add(decode(record));
                        bytes += record.sizeInBytes();
                    }
                }
            }
            if (afterChunk == next) {
                break;
            }
            next = records.size() == maxRecords ? records.get(records.size() - 1).offset() + 1
                    : Math.min(afterChunk, highWatermark);
        }
        if (!records.isEmpty()) {
            metrics.topic(topic).served(records.size(), bytes);
        }
        return new RecordPage(records, next);
    }

    /** Reads from the partition's log start offset: its oldest record still kept. */
    public RecordPage readFromStart(String topic, int partition, int maxRecords) {
        return read(topic, partition, replicas.replicaLog(topic, partition).logStartOffset(), maxRecords);
    }

    /** Reads from the first record whose timestamp is at or after {@code timestamp}. */
    public RecordPage readFromTimestamp(String topic, int partition, long timestamp, int maxRecords) {
        PartitionLog log = replicas.replicaLog(topic, partition);
        long from = log.offsetForTimestamp(timestamp).map(TimestampOffset::offset).orElse(log.highWatermark());
        return read(topic, partition, Math.min(from, log.highWatermark()), maxRecords);
    }

    private static StoredRecord decode(Record record) {
        return new StoredRecord(record.offset(), record.timestamp(),
                record.hasKey() ? Utils.toArray(record.key()) : null,
                record.hasValue() ? Utils.toArray(record.value()) : null,
                Arrays.asList(record.headers()));
    }
}
