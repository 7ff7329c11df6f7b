package dev.tributary.broker.boundary;

import dev.tributary.broker.consumer.GroupMember;
import dev.tributary.broker.consumer.RecordFetcher;
import dev.tributary.broker.records.RecordPage;
import dev.tributary.jca.api.ConsumedRecord;
import dev.tributary.jca.spi.FetchedRecords;
import dev.tributary.jca.spi.GroupSession;
import dev.tributary.jca.spi.PartitionId;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/** A {@link GroupMember} and a {@link RecordFetcher} behind the adapter's {@link GroupSession}. */
final class InVmGroupSession implements GroupSession {

    private final GroupMember member;
    private final RecordFetcher fetcher;
    private final boolean fromEarliest;
    private final IsolationLevel isolation;

    InVmGroupSession(GroupMember member, RecordFetcher fetcher, boolean fromEarliest, IsolationLevel isolation) {
        this.member = member;
        this.fetcher = fetcher;
        this.fromEarliest = fromEarliest;
        this.isolation = isolation;
    }

    @Override
    public Set<PartitionId> ensureActive(Duration timeout) {
        try {
            return member.ensureActive(timeout).stream().map(InVmGroupSession::id).collect(Collectors.toSet());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while joining group " + member.groupId(), e);
        } catch (RuntimeException e) {
            throw InVmRecords.translate(e);
        }
    }

    /** The in-VM coordinator holds a rebalance until this member rejoins, so deliveries stop after it returns. */
    @Override
    public boolean heartbeat(Runnable stopDeliveries) {
        return member.heartbeat();
    }

    @Override
    public Duration heartbeatInterval() {
        return member.timeouts().heartbeatInterval();
    }

    @Override
    public Map<PartitionId, Long> startOffsets(Set<PartitionId> partitions) {
        Set<TopicPartition> topicPartitions = partitions.stream().map(InVmGroupSession::topicPartition)
                .collect(Collectors.toSet());
        Map<TopicPartition, Long> committed = member.committed(topicPartitions);
        Map<PartitionId, Long> start = new HashMap<>();
        for (TopicPartition partition : topicPartitions) {
            Long offset = committed.get(partition);
            start.put(id(partition), offset != null ? offset : fetcher.resetOffset(partition, fromEarliest, isolation));
        }
        return start;
    }

    @Override
    public boolean commit(PartitionId partition, long nextOffset) {
        return member.commit(topicPartition(partition), nextOffset);
    }

    @Override
    public FetchedRecords fetch(PartitionId partition, long offset, int maxRecords, Duration maxWait)
            throws InterruptedException {
        try {
            RecordPage page = fetcher.fetch(topicPartition(partition), offset, maxRecords, maxWait, fromEarliest,
                    isolation);
            return new FetchedRecords(page.records().stream()
                    .map(r -> InVmRecords.toConsumedRecord(partition.topic(), partition.partition(), r)).toList(),
                    page.nextOffset());
        } catch (RuntimeException e) {
            throw InVmRecords.translate(e);
        }
    }

    @Override
    public void close() {
        member.close();
    }

    private static PartitionId id(TopicPartition partition) {
        return new PartitionId(partition.topic(), partition.partition());
    }

    private static TopicPartition topicPartition(PartitionId partition) {
        return new TopicPartition(partition.topic(), partition.partition());
    }
}
