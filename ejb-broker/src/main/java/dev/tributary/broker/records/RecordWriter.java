package dev.tributary.broker.records;

import dev.tributary.broker.log.LogAppendInfo;
import dev.tributary.broker.topic.KeyPartitioner;
import dev.tributary.broker.topic.TopicRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * Appends records that arrive one by one (REST, later JCA) rather than as client-built batches: it chooses each
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
            NewRecord record = records.get(i);
            int partition = record.partition().isPresent()
                    ? checkedPartition(topic, record.partition().getAsInt(), partitions)
                    : partitioner.partitionFor(record.key(), partitions);
            indexesByPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(i);
        }
        AppendedRecord[] results = new AppendedRecord[records.size()];
        indexesByPartition.forEach((partition, indexes) -> {
            SimpleRecord[] batch = new SimpleRecord[indexes.size()];
            for (int i = 0; i < batch.length; i++) {
                NewRecord record = records.get(indexes.get(i));
                batch[i] = new SimpleRecord(record.timestamp().orElse(now), record.key(), record.value(),
                        record.headers().toArray(Header[]::new));
            }
            LogAppendInfo info = topics.partitionLog(topic, partition)
                    .append(MemoryRecords.withRecords(Compression.NONE, batch));
            for (int i = 0; i < batch.length; i++) {
                long timestamp = info.logAppendTime() >= 0 ? info.logAppendTime() : batch[i].timestamp();
                results[indexes.get(i)] = new AppendedRecord(partition, info.firstOffset() + i, timestamp);
            }
        });
        return List.of(results);
    }

    private static int checkedPartition(String topic, int partition, int partitions) {
        if (partition < 0 || partition >= partitions) {
            throw new UnknownTopicOrPartitionException("Topic '" + topic + "' has no partition " + partition
                    + " (it has " + partitions + ")");
        }
        return partition;
    }
}
