package dev.tributary.jca;

import dev.tributary.jca.api.ConsumedRecord;
import dev.tributary.jca.api.OutgoingRecord;
import dev.tributary.jca.api.RecordMetadata;
import dev.tributary.jca.spi.FetchedRecords;
import dev.tributary.jca.spi.GroupSession;
import dev.tributary.jca.spi.GroupSubscription;
import dev.tributary.jca.spi.BrokerGateway;
import dev.tributary.jca.spi.PartitionId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory broker behind the adapter's gateway, for the adapter's unit tests: partitions are lists, a group has
 * one member that owns every partition, and what was prepared, committed and rolled back is recorded.
 */
public class FakeInVmBroker implements BrokerGateway {

    private final Map<String, Integer> topics = new HashMap<>();
    private final Map<PartitionId, List<ConsumedRecord>> partitions = new ConcurrentHashMap<>();
    private final Map<String, List<OutgoingRecord>> prepared = new LinkedHashMap<>();
    public final Map<PartitionId, Long> committedOffsets = new ConcurrentHashMap<>();
    /** How many records each batched append carried, in call order. */
    public final List<Integer> batchSizes = new ArrayList<>();

    public FakeInVmBroker topic(String name, int partitionCount) {
        topics.put(name, partitionCount);
        for (int p = 0; p < partitionCount; p++) {
            partitions.put(new PartitionId(name, p), new ArrayList<>());
        }
        return this;
    }

    /** The records of a partition, as consumers would read them. */
    public synchronized List<ConsumedRecord> records(String topic, int partition) {
        return List.copyOf(partitions.get(new PartitionId(topic, partition)));
    }

    public synchronized Map<String, List<OutgoingRecord>> prepared() {
        return Map.copyOf(prepared);
    }

    @Override
    public synchronized RecordMetadata append(OutgoingRecord record) {
        List<ConsumedRecord> log = partitions.get(new PartitionId(record.topic(), partitionFor(record)));
        long offset = log.size();
        ConsumedRecord stored = new ConsumedRecord(record.topic(), partitionFor(record), offset, 1000 + offset,
                record.key().orElse(null), record.value(), record.headers());
        log.add(stored);
        notifyAll();
        return new RecordMetadata(record.topic(), stored.partition(), offset, stored.timestamp());
    }

    @Override
    public synchronized List<RecordMetadata> append(String topic, List<OutgoingRecord> records) {
        batchSizes.add(records.size());
        List<RecordMetadata> landed = new ArrayList<>();
        for (OutgoingRecord record : records)
            landed.add(append(record));
        return landed;
    }

    @Override
    public synchronized List<RecordMetadata> append(String topic, int partition, List<OutgoingRecord> records) {
        batchSizes.add(records.size());
        List<RecordMetadata> landed = new ArrayList<>();
        for (OutgoingRecord record : records) {
            if (partitionFor(record) != partition)
                throw new IllegalArgumentException(record + " does not belong in partition " + partition);
            landed.add(append(record));
        }
        return landed;
    }

    @Override
    public synchronized int partitionFor(OutgoingRecord record) {
        Integer count = topics.get(record.topic());
        if (count == null) {
            throw new IllegalArgumentException("Unknown topic " + record.topic());
        }
        int partition = record.partition().orElse(0);
        if (partition >= count) {
            throw new IllegalArgumentException("Unknown partition " + partition);
        }
        return partition;
    }

    @Override
    public synchronized void prepare(String transactionId, List<OutgoingRecord> records) {
        records.forEach(this::partitionFor);
        prepared.put(transactionId, List.copyOf(records));
    }

    @Override
    public synchronized List<RecordMetadata> commit(String transactionId) {
        List<OutgoingRecord> records = prepared.remove(transactionId);
        if (records == null) {
            throw new IllegalStateException("No transaction " + transactionId + " is prepared");
        }
        return records.stream().map(this::append).toList();
    }

    @Override
    public synchronized List<RecordMetadata> commitOnePhase(List<OutgoingRecord> records) {
        records.forEach(this::partitionFor);
        return records.stream().map(this::append).toList();
    }

    @Override
    public synchronized void rollback(String transactionId) {
        prepared.remove(transactionId);
    }

    @Override
    public synchronized List<String> preparedTransactions() {
        return List.copyOf(prepared.keySet());
    }

    /** No users here: every user is let in, as this broker. */
    @Override
    public BrokerGateway as(String user, char[] password) {
        return this;
    }

    @Override
    public GroupSession joinGroup(GroupSubscription subscription) {
        return new GroupSession() {
            @Override
            public Set<PartitionId> ensureActive(Duration timeout) {
                Set<PartitionId> all = new HashSet<>();
                subscription.topics().forEach(t -> {
                    for (int p = 0; p < topics.get(t); p++) {
                        all.add(new PartitionId(t, p));
                    }
                });
                return all;
            }

            @Override
            public boolean heartbeat(Runnable stopDeliveries) {
                return true;
            }

            @Override
            public Duration heartbeatInterval() {
                return Duration.ofMillis(50);
            }

            @Override
            public Map<PartitionId, Long> startOffsets(Set<PartitionId> assigned) {
                Map<PartitionId, Long> start = new HashMap<>();
                assigned.forEach(p -> start.put(p, committedOffsets.getOrDefault(p, 0L)));
                return start;
            }

            @Override
            public boolean commit(PartitionId partition, long nextOffset) {
                committedOffsets.put(partition, nextOffset);
                return true;
            }

            @Override
            public FetchedRecords fetch(PartitionId partition, long offset, int maxRecords, Duration maxWait)
                    throws InterruptedException {
                synchronized (FakeInVmBroker.this) {
                    List<ConsumedRecord> log = partitions.get(partition);
                    if (offset >= log.size()) {
                        FakeInVmBroker.this.wait(maxWait.toMillis());
                    }
                    List<ConsumedRecord> page = log.subList((int) Math.min(offset, log.size()),
                            (int) Math.min(offset + maxRecords, log.size()));
                    return new FetchedRecords(List.copyOf(page), offset + page.size());
                }
            }

            @Override
            public void close() {
            }
        };
    }
}
