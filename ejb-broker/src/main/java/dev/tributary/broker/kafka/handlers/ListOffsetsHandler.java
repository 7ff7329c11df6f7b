package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.log.TimestampOffset;
import dev.tributary.broker.topic.HostedReplicas;
import dev.tributary.broker.topic.TopicMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;

/**
 * ListOffsets: earliest (-2, and earliest-local -4: nothing is tiered), latest (-1: the high watermark for
 * read_uncommitted, the last stable offset for read_committed), by timestamp ({@link PartitionLog#offsetForTimestamp}) and
 * max-timestamp (-3). Latest-tiered (-5) and earliest-pending-upload (-6) find nothing: there is no tiered
 * storage. A timestamp with no record at or after it answers offset -1, as Kafka does.
 *
 * <p>A partition's {@code current_leader_epoch} (v4+) is checked as Kafka checks it (see
 * {@link PartitionLeaderEpoch}); a found offset reports the current leader epoch.
 *
 * <p>Max-timestamp scans the partition's batch headers (and decodes the batch holding the maximum), so it costs a
 * read of the whole partition: acceptable for the admin tool that asks for it, not for a hot path.
 */
public final class ListOffsetsHandler implements ApiHandler {

    private static final int SCAN_CHUNK_BYTES = 1 << 20;

    private final TopicMetadata topics;
    private final HostedReplicas replicas;

    public ListOffsetsHandler(TopicMetadata topics, HostedReplicas replicas) {
        this.topics = topics;
        this.replicas = replicas;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_OFFSETS;
    }

    @Override
    public short oldestVersion() {
        return ApiKeys.LIST_OFFSETS.oldestVersion();
    }

    @Override
    public short latestVersion() {
        return ApiKeys.LIST_OFFSETS.latestVersion();
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        ListOffsetsRequest body = request.body(ListOffsetsRequest.class);
        short version = request.version();
        Set<TopicPartition> duplicates = body.duplicatePartitions();
        List<ListOffsetsTopicResponse> responses = new ArrayList<>();
        for (ListOffsetsTopic topic : body.topics()) {
            List<ListOffsetsPartitionResponse> partitions = new ArrayList<>();
            for (ListOffsetsPartition partition : topic.partitions()) {
                ListOffsetsPartitionResponse response;
                if (duplicates.contains(new TopicPartition(topic.name(), partition.partitionIndex())))
                    response = error(partition.partitionIndex(), Errors.INVALID_REQUEST);
                else
                    response = lookUp(topic.name(), partition, body.isolationLevel());
                if (version < 4)
                    response.setLeaderEpoch(-1);
                partitions.add(response);
            }
            responses.add(new ListOffsetsTopicResponse().setName(topic.name()).setPartitions(partitions));
        }
        return CompletableFuture.completedFuture(new ListOffsetsResponse(new ListOffsetsResponseData()
                .setTopics(responses)));
    }

    private ListOffsetsPartitionResponse lookUp(String topic, ListOffsetsPartition partition,
                                                IsolationLevel isolation) {
        int index = partition.partitionIndex();
        try {
            PartitionLog log = replicas.leaderLog(topic, index);
            int leaderEpoch = topics.leadership(topic, index).leaderEpoch();
            PartitionLeaderEpoch.checkCurrent(partition.currentLeaderEpoch(), leaderEpoch,
                    log.topicPartition().toString());
            long timestamp = partition.timestamp();
            // what a consumer of this isolation level may read up to, as Kafka's lastFetchableOffset
            long lastFetchable = isolation == IsolationLevel.READ_COMMITTED ? log.lastStableOffset()
                    : log.highWatermark();
            Optional<TimestampOffset> found;
            if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP
                    || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP)
                found = Optional.of(new TimestampOffset(RecordBatch.NO_TIMESTAMP, log.logStartOffset()));
            else if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP)
                found = Optional.of(new TimestampOffset(RecordBatch.NO_TIMESTAMP, lastFetchable));
            else if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP)
                found = maxTimestamp(log);
            else if (timestamp == ListOffsetsRequest.LATEST_TIERED_TIMESTAMP
                    || timestamp == ListOffsetsRequest.EARLIEST_PENDING_UPLOAD_TIMESTAMP)
                found = Optional.empty();
            else if (timestamp < 0)
                return error(index, Errors.INVALID_REQUEST);
            else
                found = log.offsetForTimestamp(timestamp).filter(t -> t.offset() < lastFetchable);
            return new ListOffsetsPartitionResponse()
                    .setPartitionIndex(index)
                    .setErrorCode(Errors.NONE.code())
                    .setTimestamp(found.map(TimestampOffset::timestamp).orElse(RecordBatch.NO_TIMESTAMP))
                    .setOffset(found.map(TimestampOffset::offset).orElse(-1L))
                    .setLeaderEpoch(found.isPresent() ? leaderEpoch : -1);
        } catch (RuntimeException e) {
            return error(index, Errors.forException(e));
        }
    }

    /** The first record carrying the partition's largest timestamp. */
    private static Optional<TimestampOffset> maxTimestamp(PartitionLog log) {
        long next = log.logStartOffset();
        long end = log.highWatermark();
        RecordBatch best = null;
        while (next < end) {
            Records chunk = log.read(next, SCAN_CHUNK_BYTES).records();
            long after = next;
            for (RecordBatch batch : chunk.batches()) {
                after = Math.max(after, batch.nextOffset());
                if (batch.lastOffset() >= next && (best == null || batch.maxTimestamp() > best.maxTimestamp()))
                    best = batch;
            }
            if (after == next)
                break;
            next = after;
        }
        if (best == null || best.maxTimestamp() == RecordBatch.NO_TIMESTAMP)
            return Optional.empty();
        for (Record record : best) {
            if (record.timestamp() == best.maxTimestamp() && record.offset() >= log.logStartOffset())
                return Optional.of(new TimestampOffset(record.timestamp(), record.offset()));
        }
        return Optional.empty();
    }

    private static ListOffsetsPartitionResponse error(int index, Errors error) {
        return new ListOffsetsPartitionResponse().setPartitionIndex(index).setErrorCode(error.code())
                .setTimestamp(RecordBatch.NO_TIMESTAMP).setOffset(-1).setLeaderEpoch(-1);
    }
}
