package dev.tributary.broker.consumer;

import dev.tributary.broker.log.AppendListener;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.records.RecordPage;
import dev.tributary.broker.records.RecordReader;
import dev.tributary.broker.topic.HostedReplicas;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;

/**
 * Reads records for in-process consumers: a long poll that waits (on the log's append notification, not by
 * polling) until records arrive or the wait is over, and an offset out of the log's range (deleted by retention,
 * or never there) reset to the log start or end, as {@code auto.offset.reset} does for a Kafka consumer. It reads
 * this broker's replica, leader or follower, up to that replica's high watermark, through {@link RecordReader}, so
 * every batch is checked before it is delivered: a corrupt one fails the fetch with
 * {@link dev.tributary.broker.log.LogCorruptionException} naming the partition and offset, and is never delivered.
 */
public final class RecordFetcher {

    private final HostedReplicas replicas;
    private final RecordReader reader;

    public RecordFetcher(HostedReplicas replicas, RecordReader reader) {
        this.replicas = replicas;
        this.reader = reader;
    }

    /** Where a partition starts without a committed offset: its log start, or its end (only new records). */
    public long resetOffset(TopicPartition partition, boolean fromEarliest) {
        PartitionLog log = replicas.replicaLog(partition.topic(), partition.partition());
        return fromEarliest ? log.logStartOffset() : log.highWatermark();
    }

    /**
     * Up to {@code maxRecords} records from {@code offset} (or from the reset position if it is out of range),
     * waiting up to {@code maxWait} for the first.
     *
     * @return the records and the offset to read from next
     * @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException if the partition does not exist
     */
    public RecordPage fetch(TopicPartition partition, long offset, int maxRecords, Duration maxWait,
                            boolean fromEarliest) throws InterruptedException {
        PartitionLog log = replicas.replicaLog(partition.topic(), partition.partition());
        long from = offset;
        if (from < log.logStartOffset() || from > log.highWatermark()) {
            from = resetOffset(partition, fromEarliest);
        }
        if (from >= log.highWatermark() && !maxWait.isZero()) {
            awaitAppend(log, from, maxWait);
        }
        try {
            return reader.read(partition.topic(), partition.partition(), from, maxRecords);
        } catch (OffsetOutOfRangeException raced) {
            // Retention moved the log start past it meanwhile: start over from the reset position.
            return reader.read(partition.topic(), partition.partition(), resetOffset(partition, fromEarliest),
                    maxRecords);
        }
    }

    private static void awaitAppend(PartitionLog log, long from, Duration maxWait) throws InterruptedException {
        CountDownLatch appended = new CountDownLatch(1);
        AppendListener listener = (tp, logEndOffset) -> appended.countDown();
        log.addAppendListener(listener);
        try {
            if (from >= log.highWatermark()) { // re-checked after registering: an append in between is not missed
                appended.await(maxWait.toNanos(), TimeUnit.NANOSECONDS);
            }
        } finally {
            log.removeAppendListener(listener);
        }
    }
}
