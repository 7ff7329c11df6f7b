package dev.tributary.broker.records;

import dev.tributary.broker.log.LogAppendInfo;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.topic.KeyPartitioner;
import dev.tributary.broker.topic.TopicRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * Appends records that arrive one by one (REST, JCA) rather than as client-built batches: it chooses each
 * record's partition, builds one RecordBatch per partition and appends it, so a request of N records to one
 * partition costs one append and one group-committed fsync, not N.
 */
public final class RecordWriter {

    private final TopicRegistry topics;
    private final KeyPartitioner partitioner = new KeyPartitioner();
    private final Clock clock;

    public RecordWriter(TopicRegistry topics, Clock clock) {
        this.topics = topics;
        this.clock = clock;
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
        List<Map.Entry<PartitionLog, LogAppendInfo>> appended = new ArrayList<>();
        indexesByPartition.forEach((partition, indexes) -> {
            SimpleRecord[] batch = new SimpleRecord[indexes.size()];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = records.get(indexes.get(i)).toSimpleRecord(now);
            }
            PartitionLog log = topics.partitionLog(topic, partition);
            LogAppendInfo info = log.appendUnflushed(MemoryRecords.withRecords(Compression.NONE, batch));
            appended.add(Map.entry(log, info));
            for (int i = 0; i < batch.length; i++) {
                long timestamp = info.logAppendTime() >= 0 ? info.logAppendTime() : batch[i].timestamp();
                results[indexes.get(i)] = new AppendedRecord(partition, info.firstOffset() + i, timestamp);
            }
        });
        appended.forEach(entry -> entry.getKey().awaitFlushPolicy(entry.getValue()));
        return List.of(results);
    }

    /**
     * The partition {@code record} goes to: its own (checked to exist), or the partitioner's choice.
     *
     * @throws UnknownTopicOrPartitionException if the topic or the record's partition does not exist
     */
    public int partitionFor(String topic, NewRecord record) {
        return partitionFor(topic, record, topics.partitionCount(topic));
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
