package dev.tributary.broker.records;

import dev.tributary.broker.log.LogAppendInfo;
import dev.tributary.broker.replication.LeaderAppends;
import dev.tributary.broker.replication.PendingAppend;
import dev.tributary.broker.replication.ProduceForwarder;
import dev.tributary.broker.replication.RequiredAcks;
import dev.tributary.broker.topic.KeyPartitioner;
import dev.tributary.broker.topic.PartitionLeadership;
import dev.tributary.broker.topic.TopicMetadata;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.record.internal.DefaultRecord;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * Appends records that arrive one by one (REST, JCA) rather than as client-built batches: it chooses each
 * record's partition, builds one RecordBatch per partition and appends it, so a request of N records to one
 * partition costs one append and one group-committed fsync, not N. Like a Kafka producer with {@code acks=all},
 * it acknowledges only records every in-sync replica holds. A partition this broker leads is written through
 * {@link LeaderAppends}, the leader-write path every writer shares; one another broker leads gets its batch through
 * that broker ({@link ProduceForwarder}), so writers need not know where leaders are.
 */
public final class RecordWriter {

    private final TopicMetadata topics;
    private final KeyPartitioner partitioner = new KeyPartitioner();
    private final Clock clock;
    private final LeaderAppends appends;
    private final ProduceForwarder forwarder;
    private final Duration commitTimeout;

    /**
     * @param appends       writes the partitions this broker leads
     * @param forwarder     sends the writes of partitions another broker leads to that broker
     * @param commitTimeout how long an append waits for the in-sync replicas, as Kafka's request.timeout.ms
     */
    public RecordWriter(TopicMetadata topics, Clock clock, LeaderAppends appends, ProduceForwarder forwarder,
                        Duration commitTimeout) {
        this.topics = topics;
        this.clock = clock;
        this.appends = appends;
        this.forwarder = forwarder;
        this.commitTimeout = commitTimeout;
    }

    /** @return for each record, in request order, where it landed */
    public List<AppendedRecord> append(String topic, List<NewRecord> records) {
        int partitions = topics.partitionCount(topic);
        long now = clock.millis();
        Map<Integer, List<Integer>> indexesByPartition = new TreeMap<>();
        for (int i = 0; i < records.size(); i++) {
            indexesByPartition.computeIfAbsent(partitionFor(topic, records.get(i), partitions),
                    p -> new ArrayList<>()).add(i);
        }
        AppendedRecord[] results = new AppendedRecord[records.size()];
        // Every partition's batch is written before any fsync is awaited, so the partitions' fsyncs overlap.
        List<PendingAppend> local = new ArrayList<>();
        indexesByPartition.forEach((partition, indexes) -> {
            SimpleRecord[] batch = new SimpleRecord[indexes.size()];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = records.get(indexes.get(i)).toSimpleRecord(now);
            }
            Landed landed = write(new TopicPartition(topic, partition),
                    MemoryRecords.withRecords(Compression.NONE, batch), local);
            for (int i = 0; i < batch.length; i++) {
                results[indexes.get(i)] = landed.record(i, batch[i]);
            }
        });
        PendingAppend.awaitAll(local);
        return List.of(results);
    }

    /**
     * Appends {@code records} to one partition, in order, as a single append: as many RecordBatches as the
     * partition's {@code max.message.bytes} needs, written together and acknowledged by one fsync (as
     * {@code flush.messages} demands), all of them or none. The records' own partitions are ignored: the caller has
     * placed them with {@link #partitionFor(String, OptionalInt, byte[])}. A record too large for a batch of its own
     * fails the whole append with {@code RecordTooLargeException}.
     *
     * @return for each record, in order, where it landed
     * @throws UnknownTopicOrPartitionException if the topic or the partition does not exist
     */
    public List<AppendedRecord> append(String topic, int partition, List<NewRecord> records) {
        long now = clock.millis();
        SimpleRecord[] stamped = new SimpleRecord[records.size()];
        for (int i = 0; i < stamped.length; i++)
            stamped[i] = records.get(i).toSimpleRecord(now);
        List<PendingAppend> local = new ArrayList<>(1);
        Landed landed = write(new TopicPartition(topic, partition),
                batches(stamped, topics.config(topic).maxMessageBytes()), local);
        List<AppendedRecord> results = new ArrayList<>(stamped.length);
        for (int i = 0; i < stamped.length; i++)
            results.add(landed.record(i, stamped[i]));
        PendingAppend.awaitAll(local);
        return results;
    }

    /**
     * Appends to this broker's log if it leads the partition (the waits for the fsync and the in-sync replicas
     * come after every partition's append), or forwards to the broker that leads it, which answers once committed.
     */
    private Landed write(TopicPartition tp, MemoryRecords records, List<PendingAppend> local) {
        PartitionLeadership leadership = topics.leadership(tp.topic(), tp.partition());
        if (leadership.hasLeader() && leadership.leader() != topics.brokerId()) {
            ProduceForwarder.Forwarded forwarded = forwarder.forward(tp, leadership.leader(), records, commitTimeout);
            return new Landed(tp.partition(), forwarded.firstOffset(), forwarded.logAppendTime());
        }
        PendingAppend pending = appends.append(tp, records, RequiredAcks.ALL, commitTimeout);
        local.add(pending);
        LogAppendInfo info = pending.appended();
        return new Landed(tp.partition(), info.firstOffset(), info.logAppendTime());
    }

    /** Where a partition's batch landed: its first offset and, under LogAppendTime, the time it got (else -1). */
    private record Landed(int partition, long firstOffset, long logAppendTime) {

        AppendedRecord record(int index, SimpleRecord written) {
            return new AppendedRecord(partition, firstOffset + index,
                    logAppendTime >= 0 ? logAppendTime : written.timestamp());
        }
    }

    /**
     * {@code records} as consecutive batches of at most {@code maxBatchBytes} each (a record larger than that
     * gets a batch of its own, which the log refuses).
     */
    static MemoryRecords batches(SimpleRecord[] records, int maxBatchBytes) {
        List<MemoryRecords> batches = new ArrayList<>();
        int from = 0;
        int batchBytes = DefaultRecordBatch.RECORD_BATCH_OVERHEAD;
        for (int i = 0; i < records.length; i++) {
            int recordBytes = sizeInBatch(records[i], i - from, records[from].timestamp());
            if (i > from && batchBytes + recordBytes > maxBatchBytes) {
                batches.add(MemoryRecords.withRecords(Compression.NONE, Arrays.copyOfRange(records, from, i)));
                from = i;
                batchBytes = DefaultRecordBatch.RECORD_BATCH_OVERHEAD;
                recordBytes = sizeInBatch(records[i], 0, records[i].timestamp());
            }
            batchBytes += recordBytes;
        }
        if (from == 0)
            return MemoryRecords.withRecords(Compression.NONE, records);
        batches.add(MemoryRecords.withRecords(Compression.NONE, Arrays.copyOfRange(records, from, records.length)));
        ByteBuffer all = ByteBuffer.allocate(batches.stream().mapToInt(MemoryRecords::sizeInBytes).sum());
        batches.forEach(batch -> all.put(batch.buffer()));
        return MemoryRecords.readableRecords(all.flip());
    }

    /** The bytes the record takes in a batch whose first record has {@code baseTimestamp}, at {@code offsetDelta}. */
    private static int sizeInBatch(SimpleRecord record, int offsetDelta, long baseTimestamp) {
        return DefaultRecord.sizeInBytes(offsetDelta, record.timestamp() - baseTimestamp,
                record.key() == null ? -1 : record.key().remaining(),
                record.value() == null ? -1 : record.value().remaining(), record.headers());
    }

    /**
     * The partition {@code record} goes to: its own (checked to exist), or the partitioner's choice.
     *
     * @throws UnknownTopicOrPartitionException if the topic or the record's partition does not exist
     */
    public int partitionFor(String topic, NewRecord record) {
        return partitionFor(topic, record.partition(), record.key());
    }

    /**
     * The partition a record with this {@code partition} (if it has one) and {@code key} goes to; what
     * {@link #partitionFor(String, NewRecord)} answers, without building the record.
     *
     * @throws UnknownTopicOrPartitionException if the topic or the given partition does not exist
     */
    public int partitionFor(String topic, OptionalInt partition, byte[] key) {
        int partitions = topics.partitionCount(topic);
        return partition.isPresent() ? checkedPartition(topic, partition.getAsInt(), partitions)
                : partitioner.partitionFor(key, partitions);
    }

    private int partitionFor(String topic, NewRecord record, int partitions) {
        return record.partition().isPresent() ? checkedPartition(topic, record.partition().getAsInt(), partitions)
                : partitioner.partitionFor(record.key(), partitions);
    }

    private static int checkedPartition(String topic, int partition, int partitions) {
        if (partition < 0 || partition >= partitions) {
            throw new UnknownTopicOrPartitionException("Topic '" + topic + "' has no partition " + partition
                    + " (it has " + partitions + ")");
        }
        return partition;
    }
}
