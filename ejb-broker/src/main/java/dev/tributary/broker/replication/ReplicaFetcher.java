package dev.tributary.broker.replication;

import dev.tributary.broker.log.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;

/**
 * Fetches, for every partition this broker follows from one leader, what the leader has beyond the local log end,
 * on a thread of its own (Kafka's ReplicaFetcherThread). The fetch offset tells the leader where this replica's
 * log ends; the response's high watermark becomes this replica's.
 *
 * <p>Before its first fetch at a leader epoch, a partition is truncated to where its history and the leader's
 * agree: the leader answers OffsetsForLeaderEpoch with the end of this replica's latest epoch in its own log, and
 * anything beyond that was written by a leader that lost it, never acknowledged to {@code acks=all} producers.
 *
 * <p>Records are applied under this object's lock, which {@link #remove} takes too: once a partition is removed
 * (this broker becomes its leader, say), no fetched record of the old leader can still reach its log.
 */
final class ReplicaFetcher implements Runnable {

    private static final Logger LOG = Logger.getLogger(ReplicaFetcher.class.getName());
    private static final short FETCH_VERSION = 12; // names topics, carries current_leader_epoch
    private static final short OFFSETS_FOR_LEADER_EPOCH_VERSION = 4;

    private final int brokerId;
    private final int leaderId;
    private final ReplicationConfig config;
    private final Function<Integer, String> brokerAddresses;
    private final Map<TopicPartition, Followed> partitions = new HashMap<>();
    private final Thread thread;
    /** Volatile so that {@link #close} can abort a fetch blocked on the network. */
    private volatile BrokerClient client;
    private volatile boolean closed;

    /** One followed partition; guarded by the fetcher's lock. */
    private static final class Followed {
        final PartitionLog log;
        final int leaderEpoch;
        boolean truncated;
        long retryAtMs;

        Followed(PartitionLog log, int leaderEpoch) {
            this.log = log;
            this.leaderEpoch = leaderEpoch;
        }
    }

    ReplicaFetcher(int brokerId, int leaderId, ReplicationConfig config, Function<Integer, String> brokerAddresses) {
        this.brokerId = brokerId;
        this.leaderId = leaderId;
        this.config = config;
        this.brokerAddresses = brokerAddresses;
        this.thread = new Thread(this, "tributary-replica-fetcher-" + leaderId);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    synchronized void add(TopicPartition tp, PartitionLog log, int leaderEpoch) {
        Followed current = partitions.get(tp);
        if (current != null && current.leaderEpoch == leaderEpoch && current.log == log)
            return;
        partitions.put(tp, new Followed(log, leaderEpoch));
        notifyAll();
    }

    synchronized boolean remove(TopicPartition tp) {
        partitions.remove(tp);
        return partitions.isEmpty();
    }

    synchronized Map<TopicPartition, Integer> following() {
        Map<TopicPartition, Integer> result = new HashMap<>();
        partitions.keySet().forEach(tp -> result.put(tp, leaderId));
        return result;
    }

    @Override
    public void run() {
        while (!closed) {
            try {
                Map<TopicPartition, Followed> ready = awaitReady();
                if (ready.isEmpty())
                    continue;
                BrokerClient connection = connection();
                truncate(connection, ready);
                fetch(connection, ready);
            } catch (IOException e) {
                LOG.log(Level.FINE, "Replica fetch from broker " + leaderId + " failed", e);
                disconnect();
                pause(config.replicaFetchBackoffMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Replica fetch from broker " + leaderId + " failed", e);
                disconnect();
                pause(config.replicaFetchBackoffMs());
            }
        }
        disconnect();
    }

    /** The partitions that may be fetched now, waiting while there are none. */
    private synchronized Map<TopicPartition, Followed> awaitReady() throws InterruptedException {
        long now = System.currentTimeMillis();
        Map<TopicPartition, Followed> ready = new LinkedHashMap<>();
        long nextRetry = Long.MAX_VALUE;
        for (Map.Entry<TopicPartition, Followed> entry : partitions.entrySet()) {
            if (entry.getValue().retryAtMs <= now)
                ready.put(entry.getKey(), entry.getValue());
            else
                nextRetry = Math.min(nextRetry, entry.getValue().retryAtMs);
        }
        if (ready.isEmpty() && !closed)
            wait(nextRetry == Long.MAX_VALUE ? 0 : Math.max(1, nextRetry - now));
        return ready;
    }

    private BrokerClient connection() throws IOException {
        if (client == null) {
            String address = brokerAddresses.apply(leaderId);
            if (address == null)
                throw new IOException("The address of broker " + leaderId + " is not known (is it alive?)");
            client = BrokerClient.connect(address, "tributary-replica-" + brokerId,
                    config.replicaFetchWaitMaxMs() + 30_000, config.login());
        }
        return client;
    }

    private void truncate(BrokerClient connection, Map<TopicPartition, Followed> ready) throws IOException {
        OffsetForLeaderTopicCollection topics = new OffsetForLeaderTopicCollection();
        Map<TopicPartition, Followed> asked = new HashMap<>();
        for (Map.Entry<TopicPartition, Followed> entry : ready.entrySet()) {
            Followed followed = entry.getValue();
            if (followed.truncated)
                continue;
            OptionalInt latest = followed.log.latestLeaderEpoch();
            if (latest.isEmpty()) {
                markTruncated(entry.getKey(), followed); // nothing any leader wrote: nothing to disagree on
                continue;
            }
            TopicPartition tp = entry.getKey();
            OffsetForLeaderTopic topic = topics.find(tp.topic());
            if (topic == null) {
                topic = new OffsetForLeaderTopic().setTopic(tp.topic());
                topics.add(topic);
            }
            topic.partitions().add(new OffsetForLeaderPartition().setPartition(tp.partition())
                    .setCurrentLeaderEpoch(followed.leaderEpoch).setLeaderEpoch(latest.getAsInt()));
            asked.put(tp, followed);
        }
        if (asked.isEmpty())
            return;
        OffsetsForLeaderEpochResponse response = connection.send(OffsetsForLeaderEpochRequest.Builder
                .forFollower(topics, brokerId).build(OFFSETS_FOR_LEADER_EPOCH_VERSION));
        for (var topic : response.data().topics()) {
            for (EpochEndOffset answer : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.topic(), answer.partition());
                Followed followed = asked.get(tp);
                if (followed != null)
                    truncate(tp, followed, answer);
            }
        }
    }

    private synchronized void truncate(TopicPartition tp, Followed followed, EpochEndOffset answer) {
        if (partitions.get(tp) != followed)
            return; // no longer followed at this epoch
        Errors error = Errors.forCode(answer.errorCode());
        if (error != Errors.NONE) {
            backOff(tp, followed, error);
            return;
        }
        PartitionLog log = followed.log;
        long logEnd = log.logEndOffset();
        long agreed;
        if (answer.leaderEpoch() == OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH)
            agreed = Math.min(log.highWatermark(), logEnd); // the leader knows none of our epochs
        else if (answer.leaderEpoch() == log.latestLeaderEpoch().orElse(-1))
            agreed = Math.min(answer.endOffset(), logEnd);
        else
            agreed = Math.min(answer.endOffset(), log.endOffsetForEpoch(answer.leaderEpoch()).endOffset());
        if (agreed < logEnd) {
            LOG.info(() -> "Truncating " + tp + " from " + logEnd + " to " + agreed + " to follow broker "
                    + leaderId + " at leader epoch " + followed.leaderEpoch);
            log.truncateTo(agreed);
        }
        followed.truncated = true;
    }

    private synchronized void markTruncated(TopicPartition tp, Followed followed) {
        if (partitions.get(tp) == followed)
            followed.truncated = true;
    }

    private void fetch(BrokerClient connection, Map<TopicPartition, Followed> ready) throws IOException {
        Map<TopicPartition, FetchRequest.PartitionData> data = new LinkedHashMap<>();
        Map<TopicPartition, Followed> fetched = new HashMap<>();
        for (Map.Entry<TopicPartition, Followed> entry : ready.entrySet()) {
            Followed followed = entry.getValue();
            if (!followed.truncated)
                continue;
            data.put(entry.getKey(), new FetchRequest.PartitionData(Uuid.ZERO_UUID, followed.log.logEndOffset(),
                    followed.log.logStartOffset(), config.replicaFetchMaxBytes(),
                    Optional.of(followed.leaderEpoch), Optional.empty()));
            fetched.put(entry.getKey(), followed);
        }
        if (data.isEmpty())
            return;
        FetchResponse response = connection.send(FetchRequest.Builder.forReplica(FETCH_VERSION, brokerId, -1,
                config.replicaFetchWaitMaxMs(), 1, data).build(FETCH_VERSION));
        if (response.error() != Errors.NONE)
            throw new IOException("Fetch from broker " + leaderId + " failed: " + response.error());
        for (Map.Entry<TopicPartition, FetchResponseData.PartitionData> entry
                : response.responseData(Map.of(), FETCH_VERSION).entrySet()) {
            Followed followed = fetched.get(entry.getKey());
            if (followed != null)
                apply(entry.getKey(), followed, entry.getValue());
        }
    }

    private synchronized void apply(TopicPartition tp, Followed followed, FetchResponseData.PartitionData data) {
        if (partitions.get(tp) != followed)
            return; // removed or re-added at another epoch while the fetch was out
        Errors error = Errors.forCode(data.errorCode());
        PartitionLog log = followed.log;
        if (error == Errors.OFFSET_OUT_OF_RANGE) {
            if (data.logStartOffset() > log.logEndOffset()) {
                LOG.info(() -> tp + " is behind the leader's log start " + data.logStartOffset() + ": starting over");
                log.truncateFullyAndStartAt(data.logStartOffset());
            } else {
                followed.truncated = false; // our log runs past the leader's: agree on epochs again
            }
            return;
        }
        if (error != Errors.NONE) {
            backOff(tp, followed, error);
            return;
        }
        MemoryRecords complete = completeBatches(FetchResponse.recordsOrFail(data));
        if (complete.sizeInBytes() > 0)
            log.appendAsFollower(complete);
        log.updateHighWatermark(Math.min(data.highWatermark(), log.logEndOffset()));
    }

    /** A fetch's last batch may be cut off at the size limit: the leader sends it again next time. */
    private static MemoryRecords completeBatches(Records records) {
        if (!(records instanceof MemoryRecords memory) || memory.sizeInBytes() == 0)
            return MemoryRecords.EMPTY;
        int complete = 0;
        for (MutableRecordBatch batch : memory.batches())
            complete += batch.sizeInBytes();
        if (complete == memory.sizeInBytes())
            return memory;
        ByteBuffer buffer = memory.buffer().duplicate();
        buffer.limit(buffer.position() + complete);
        return MemoryRecords.readableRecords(buffer.slice());
    }

    /** A leader that is not (yet) what this broker thinks it is: try again after a pause, or after a change. */
    private void backOff(TopicPartition tp, Followed followed, Errors error) {
        LOG.fine(() -> "Fetching " + tp + " from broker " + leaderId + " at leader epoch " + followed.leaderEpoch
                + ": " + error + "; retrying");
        followed.truncated = false;
        followed.retryAtMs = System.currentTimeMillis() + config.replicaFetchBackoffMs();
    }

    private synchronized void pause(long ms) {
        if (!closed && ms > 0) {
            try {
                wait(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void disconnect() {
        BrokerClient current = client;
        client = null;
        if (current != null)
            current.close();
    }

    void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        thread.interrupt();
        disconnect();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
