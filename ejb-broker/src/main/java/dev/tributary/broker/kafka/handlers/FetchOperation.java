package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.log.AbortedTxn;
import dev.tributary.broker.log.FetchDataInfo;
import dev.tributary.broker.log.FetchIsolation;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.metrics.BrokerMetrics;
import dev.tributary.broker.replication.ReplicaManager;
import dev.tributary.broker.topic.HostedReplicas;
import dev.tributary.broker.topic.TopicMetadata;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.AbortedTransaction;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.requests.FetchResponse;

/**
 * The reads of one Fetch request, from a consumer or from a follower replica (a {@code replica_id} of 0 or more),
 * repeatable: done once when the request arrives and again whenever a parked
 * request is re-checked ({@link FetchPurgatory}). Reads are cheap: each is an index lookup and a zero-copy
 * {@code FileRecords} slice that the response later sends with {@code transferTo}.
 *
 * <p>Limits follow KIP-74: partitions are read in request order, each up to its {@code partition_max_bytes} and
 * the request's remaining {@code max_bytes}; the first batch of the first partition with data is returned whole
 * even when it is larger than both, so a consumer always makes progress; after that, a partition whose first
 * batch does not fit is returned without records.
 *
 * <p>read_uncommitted consumers read up to the high watermark; read_committed ones up to the last stable offset,
 * and get the aborted transactions among the records they are sent, whose records their client drops. Followers read
 * up to the log end, and their fetch offset tells the leader where their replica ends
 * ({@link ReplicaManager#followerFetched}). Only the leader serves either.
 */
final class FetchOperation {

    /** @param currentLeaderEpoch the leader epoch the client believes current, -1 if it does not know */
    record PartitionRead(int partition, int currentLeaderEpoch, long fetchOffset, int maxBytes) {
    }

    /**
     * @param name the topic, {@code null} if the request named it by an id that matches no topic
     * @param id   the id the request used (v13+), or {@link Uuid#ZERO_UUID}
     */
    record TopicReads(String name, Uuid id, List<PartitionRead> partitions) {
    }

    /**
     * @param response   the response these reads make
     * @param bytes      bytes of records in it
     * @param hasError   whether some partition failed (which answers a request at once, as in Kafka)
     */
    record Result(FetchResponse response, long bytes, boolean hasError) {
    }

    private final TopicMetadata topics;
    private final HostedReplicas hosted;
    private final short version;
    private final List<TopicReads> reads;
    private final int maxBytes;
    private final int minBytes;
    private final IsolationLevel isolation;
    private final BrokerMetrics metrics;
    private final ReplicaManager replicas;
    /** The fetching follower's broker id, or -1 for a consumer. */
    private final int replicaId;

    FetchOperation(TopicMetadata topics, HostedReplicas hosted, short version, List<TopicReads> reads, int maxBytes,
                   int minBytes, IsolationLevel isolation, BrokerMetrics metrics, ReplicaManager replicas,
                   int replicaId) {
        this.topics = topics;
        this.hosted = hosted;
        this.replicas = replicas;
        this.replicaId = replicaId;
        this.version = version;
        this.reads = List.copyOf(reads);
        this.maxBytes = maxBytes;
        this.minBytes = minBytes;
        this.isolation = isolation;
        this.metrics = metrics;
    }

    /** The partitions whose appends may satisfy this fetch. */
    Set<TopicPartition> partitions() {
        Set<TopicPartition> result = new LinkedHashSet<>();
        for (TopicReads topic : reads) {
            if (topic.name() != null)
                topic.partitions().forEach(p -> result.add(new TopicPartition(topic.name(), p.partition())));
        }
        return result;
    }

    /** Whether a follower fetches (which waits for the log end to move, not the high watermark). */
    boolean fromReplica() {
        return replicaId >= 0;
    }

    boolean satisfiedBy(Result result) {
        return result.hasError() || result.bytes() >= minBytes;
    }

    Result read() {
        long total = 0;
        boolean hasError = false;
        List<FetchableTopicResponse> topicResponses = new ArrayList<>(reads.size());
        for (TopicReads topic : reads) {
            List<PartitionData> partitions = new ArrayList<>(topic.partitions().size());
            for (PartitionRead read : topic.partitions()) {
                PartitionData data;
                if (topic.name() == null) {
                    data = FetchResponse.partitionResponse(read.partition(), Errors.UNKNOWN_TOPIC_ID);
                } else {
                    long remaining = maxBytes - total;
                    data = read(topic, read, (int) Math.max(0, Math.min(read.maxBytes(), remaining)),
                            total == 0);
                }
                if (data.errorCode() != Errors.NONE.code()) {
                    hasError = true;
                    data.setRecords(MemoryRecords.EMPTY);
                }
                total += FetchResponse.recordsSize(data);
                partitions.add(data);
            }
            FetchableTopicResponse topicResponse = new FetchableTopicResponse().setPartitions(partitions);
            if (version >= 13)
                topicResponse.setTopicId(topic.id());
            else
                topicResponse.setTopic(topic.name());
            topicResponses.add(topicResponse);
        }
        FetchResponseData data = new FetchResponseData().setResponses(topicResponses);
        return new Result(FetchResponse.of(data), total, hasError);
    }

    /**
     * The response of {@code result}, which is the one sent: counts the records and bytes it serves per topic
     * (reads of a parked fetch that are not sent are not counted). Records are counted from the batch headers,
     * from the fetch offset on, as the consumer will see them.
     */
    FetchResponse answer(Result result) {
        if (result.bytes() == 0 || fromReplica())
            return result.response(); // replication traffic is not consumer traffic
        List<FetchableTopicResponse> responses = result.response().data().responses();
        for (int t = 0; t < reads.size(); t++) {
            TopicReads topic = reads.get(t);
            List<PartitionData> partitions = responses.get(t).partitions();
            for (int p = 0; p < partitions.size(); p++) {
                Records records = (Records) partitions.get(p).records();
                if (topic.name() != null && records != null && records.sizeInBytes() > 0)
                    metrics.topic(topic.name()).served(recordsFrom(records, topic.partitions().get(p).fetchOffset()),
                            records.sizeInBytes());
            }
        }
        return result.response();
    }

    /**
     * Records at or after {@code fetchOffset} in the complete batches of {@code records}: the offset span, which
     * counts transaction markers and offsets compaction removed too (an estimate for the traffic metrics); only the
     * last batch's full header is read (a file slice reads each batch's offset and size anyway to find the next
     * one).
     */
    private static long recordsFrom(Records records, long fetchOffset) {
        long first = -1;
        RecordBatch last = null;
        for (RecordBatch batch : records.batches()) {
            if (first < 0)
                first = Math.max(batch.baseOffset(), fetchOffset);
            last = batch;
        }
        return last == null ? 0 : Math.max(0, last.lastOffset() + 1 - first);
    }

    private PartitionData read(TopicReads topic, PartitionRead read, int limit, boolean mayExceedLimit) {
        PartitionLog log = null;
        try {
            Records records;
            List<AbortedTxn> aborted = List.of();
            if (fromReplica()) {
                TopicPartition tp = new TopicPartition(topic.name(), read.partition());
                log = replicas.checkFollowerFetch(tp, replicaId, read.currentLeaderEpoch());
                replicas.followerFetched(tp, replicaId, read.fetchOffset());
                records = log.read(read.fetchOffset(), limit, FetchIsolation.LOG_END).records();
            } else {
                // By id when the request used one: a parked fetch of a deleted topic never reads a re-created one.
                log = Uuid.ZERO_UUID.equals(topic.id()) ? hosted.leaderLog(topic.name(), read.partition())
                        : hosted.leaderLog(topic.id(), read.partition());
                PartitionLeaderEpoch.checkCurrent(read.currentLeaderEpoch(),
                        topics.leadership(topic.name(), read.partition()).leaderEpoch(),
                        log.topicPartition().toString());
                FetchDataInfo info = log.read(read.fetchOffset(), limit, isolation == IsolationLevel.READ_COMMITTED
                        ? FetchIsolation.TXN_COMMITTED : FetchIsolation.HIGH_WATERMARK);
                records = info.records();
                aborted = info.abortedTransactions();
            }
            // read after the records, so the high watermark is never below what they hold
            long lastStableOffset = log.lastStableOffset();
            long highWatermark = log.highWatermark();
            long logStartOffset = log.logStartOffset();
            if (!mayExceedLimit && records.sizeInBytes() > limit) {
                records = MemoryRecords.EMPTY; // the response is full: only a request's first batch may overshoot
                aborted = List.of();
            }
            PartitionData data = new PartitionData()
                    .setPartitionIndex(read.partition())
                    .setErrorCode(Errors.NONE.code())
                    .setHighWatermark(highWatermark)
                    .setLastStableOffset(Math.min(lastStableOffset, highWatermark))
                    .setRecords(records);
            if (version >= 5)
                data.setLogStartOffset(logStartOffset);
            if (isolation == IsolationLevel.READ_COMMITTED && !fromReplica()) {
                List<AbortedTransaction> abortedTransactions = new ArrayList<>(aborted.size());
                for (AbortedTxn txn : aborted)
                    abortedTransactions.add(new AbortedTransaction().setProducerId(txn.producerId())
                            .setFirstOffset(txn.firstOffset()));
                data.setAbortedTransactions(abortedTransactions);
            }
            return data;
        } catch (RuntimeException e) {
            PartitionData error = FetchResponse.partitionResponse(read.partition(), Errors.forException(e));
            if (log != null && e instanceof OffsetOutOfRangeException)
                error.setLogStartOffset(log.logStartOffset()); // a follower behind it starts over there
            return error;
        }
    }
}
