package dev.tributary.broker.transaction;

import dev.tributary.broker.log.FetchDataInfo;
import dev.tributary.broker.log.LogAppendInfo;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.records.RecordWriter;
import dev.tributary.broker.replication.LeaderAppends;
import dev.tributary.broker.replication.PendingAppend;
import dev.tributary.broker.replication.RequiredAcks;
import dev.tributary.broker.topic.HostedReplicas;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * Two-phase transactions over partition logs, for the JCA adapter's XA and local transactions: records become
 * visible only at commit, all of them; on rollback none do.
 *
 * <ul>
 * <li>{@link #prepare} chooses each record's partition, builds one idempotent batch per partition under a producer
 *     id of the transaction's own, and writes the transaction durably to the {@link TransactionLog}. Nothing is
 *     appended.</li>
 * <li>{@link #commit} appends the batches through {@link LeaderAppends} (all partitions are checked first, so a
 *     refusal appends nothing), makes them durable and waits for the in-sync replicas, then deletes the
 *     transaction's file.</li>
 * <li>{@link #rollback} deletes the file.</li>
 * </ul>
 *
 * <p><b>Crashes.</b> Before prepare returns: nothing is durable, nothing visible; the TM rolls back. Between
 * prepare and commit: the transaction is still prepared after the restart ({@link #prepared} lists it, for the
 * TM's recovery), its records invisible until the TM commits it, or gone if it rolls back. During commit: some
 * partitions may hold their batch and others not, until the recovering TM commits again; that commit appends only
 * the batches that are not already in their partition (found by the transaction's producer id), so nothing is
 * duplicated. After commit returns: the records are durable and the file is gone.
 *
 * <p>Thread-safe; commit and rollback of one transaction are serialized (on its {@link PreparedTransaction}); a
 * transaction manager never prepares one id twice at once.
 */
public final class Transactions {

    private static final Logger LOG = Logger.getLogger(Transactions.class.getName());
    /** Transactions are their own idempotent producer, at this epoch, with sequences from 0 per partition. */
    private static final short EPOCH = 0;
    /**
     * Transaction producer ids start at 2^62, far above the ids the Kafka protocol hands out (clock millis times
     * 1024), so the two never collide.
     */
    private static final long PRODUCER_ID_BASE = 1L << 62;

    private final HostedReplicas replicas;
    private final LeaderAppends appends;
    private final RecordWriter writer;
    private final Clock clock;
    private final Duration commitTimeout;
    private final TransactionLog log;
    private final Map<String, PreparedTransaction> prepared = new ConcurrentHashMap<>();
    /** Transactions whose batches may already be in some partitions (recovered, or a commit that failed). */
    private final Map<String, Boolean> possiblyApplied = new ConcurrentHashMap<>();
    private final AtomicLong nextProducerId;

    private Transactions(HostedReplicas replicas, LeaderAppends appends, RecordWriter writer, Clock clock,
                         Duration commitTimeout, TransactionLog log, List<PreparedTransaction> recovered) {
        this.replicas = replicas;
        this.appends = appends;
        this.writer = writer;
        this.clock = clock;
        this.commitTimeout = commitTimeout;
        this.log = log;
        long next = PRODUCER_ID_BASE + (clock.millis() << 10);
        for (PreparedTransaction transaction : recovered) {
            prepared.put(transaction.id(), transaction);
            possiblyApplied.put(transaction.id(), true);
            next = Math.max(next, transaction.producerId() + 1);
        }
        this.nextProducerId = new AtomicLong(next);
    }

    /**
     * Opens the transaction log in {@code dir}; transactions prepared before a crash are prepared again.
     *
     * @param replicas      the leader logs: their log end at prepare, and committed batches found at a retry
     * @param appends       writes the committed batches
     * @param writer        places records on partitions, as for writes outside transactions
     * @param commitTimeout how long a commit waits for the in-sync replicas
     * @throws CorruptTransactionLogException if a prepared transaction's file is damaged
     */
    public static Transactions open(Path dir, HostedReplicas replicas, LeaderAppends appends, RecordWriter writer,
                                    Clock clock, Duration commitTimeout) {
        List<PreparedTransaction> recovered = new ArrayList<>();
        TransactionLog log = TransactionLog.open(dir, recovered);
        if (!recovered.isEmpty()) {
            LOG.warning(() -> recovered.size() + " transaction(s) were prepared but not finished before the "
                    + "broker stopped; they stay invisible until the transaction manager commits or rolls them back: "
                    + recovered.stream().map(PreparedTransaction::id).toList());
        }
        return new Transactions(replicas, appends, writer, clock, commitTimeout, log, recovered);
    }

    /**
     * Prepares a transaction: durable, invisible.
     *
     * @throws IllegalStateException if {@code id} is already prepared
     * @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException if a topic or partition is unknown
     */
    public void prepare(String id, List<TransactionRecord> records) {
        if (prepared.containsKey(id)) {
            throw new IllegalStateException("Transaction " + id + " is already prepared");
        }
        PreparedTransaction transaction = build(id, records);
        log.write(transaction);
        prepared.put(id, transaction);
    }

    /**
     * Commits a prepared transaction.
     *
     * @return where each record landed, in the order they were prepared
     * @throws IllegalStateException if {@code id} is not prepared (never prepared, or already finished)
     * @throws RuntimeException      if an append fails; the transaction stays prepared and may be committed again
     */
    public List<CommittedRecord> commit(String id) {
        PreparedTransaction transaction = prepared.get(id);
        if (transaction == null) {
            throw new IllegalStateException("No transaction " + id + " is prepared");
        }
        synchronized (transaction) {
            if (prepared.get(id) != transaction) {
                throw new IllegalStateException("Transaction " + id + " was finished meanwhile");
            }
            boolean retry = possiblyApplied.put(id, true) != null;
            List<CommittedRecord> landed = apply(transaction, retry);
            log.delete(id);
            prepared.remove(id);
            possiblyApplied.remove(id);
            return landed;
        }
    }

    /** Prepares and commits in one step: one-phase commits, local transactions. Atomic across a crash as well. */
    public List<CommittedRecord> commitOnePhase(List<TransactionRecord> records) {
        String id = "one-phase-" + UUID.randomUUID();
        prepare(id, records);
        return commit(id);
    }

    /** Rolls back a prepared transaction; nothing of it becomes visible. An unknown id is ignored. */
    public void rollback(String id) {
        PreparedTransaction transaction = prepared.get(id);
        if (transaction == null) {
            return;
        }
        synchronized (transaction) {
            if (prepared.get(id) == transaction) {
                log.delete(id);
                prepared.remove(id);
                possiblyApplied.remove(id);
            }
        }
    }

    /** The ids of transactions prepared and not yet committed or rolled back. */
    public List<String> prepared() {
        return List.copyOf(prepared.keySet());
    }

    private PreparedTransaction build(String id, List<TransactionRecord> records) {
        long producerId = nextProducerId.getAndIncrement();
        long now = clock.millis();
        Map<TopicPartition, List<Integer>> indexes = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            TransactionRecord record = records.get(i);
            int partition = writer.partitionFor(record.topic(), record.record());
            indexes.computeIfAbsent(new TopicPartition(record.topic(), partition), tp -> new ArrayList<>()).add(i);
        }
        List<PreparedBatch> batches = new ArrayList<>();
        indexes.forEach((partition, recordIndexes) -> {
            SimpleRecord[] batch = recordIndexes.stream().map(i -> records.get(i).record().toSimpleRecord(now))
                    .toArray(SimpleRecord[]::new);
            long logEnd = replicas.leaderLog(partition.topic(), partition.partition()).logEndOffset();
            batches.add(new PreparedBatch(partition, logEnd,
                    recordIndexes.stream().mapToInt(Integer::intValue).toArray(),
                    MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, EPOCH, 0, batch)));
        });
        return new PreparedTransaction(id, producerId, records.size(), batches);
    }

    private List<CommittedRecord> apply(PreparedTransaction transaction, boolean retry) {
        CommittedRecord[] landed = new CommittedRecord[transaction.recordCount()];
        // All partitions are checked before any is written, so a refusal leaves the transaction whole.
        appends.checkWritable(transaction.batches().stream().map(PreparedBatch::partition).toList(), RequiredAcks.ALL);
        List<PendingAppend> pending = new ArrayList<>(transaction.batches().size());
        for (PreparedBatch batch : transaction.batches()) {
            PendingAppend append = appendCommittedBatch(batch, transaction.producerId(), retry);
            pending.add(append);
            LogAppendInfo position = append.appended();
            int[] indexes = batch.recordIndexes();
            int i = 0;
            for (Record record : batch.freshRecords().records()) {
                long timestamp = position.logAppendTime() >= 0 ? position.logAppendTime() : record.timestamp();
                landed[indexes[i]] = new CommittedRecord(batch.partition().topic(), batch.partition().partition(),
                        position.firstOffset() + i, timestamp);
                i++;
            }
        }
        // Durable before the transaction's file goes: after commit returns, a crash must lose nothing, whatever the
        // topic's flush.messages. Under the default flush.messages=1 the appends' own fsyncs already make them so.
        pending.forEach(PendingAppend::makeDurable);
        // and on every in-sync replica, so that the leader's broker dying loses nothing either
        PendingAppend.awaitAll(pending);
        return List.of(landed);
    }

    /**
     * THE one path by which committed transactions reach partition logs. Each transaction has a producer id of its
     * own and one batch per partition, so "already appended" means "the partition holds a batch of that producer".
     * Today that is found by scanning the partition from the log end offset recorded at prepare, and only when
     * the batch may have been appended before ({@code retry}: a commit after a crash or a failed commit); such a
     * batch is then awaited as if just appended.
     * The log's own idempotent-producer state would also answer such a retry with the first offset, but it forgets
     * producers after {@code producer.id.expiration.ms}, and an in-doubt transaction may be resolved later than
     * that; the scan has no such limit and runs only on that rare path.
     */
    private PendingAppend appendCommittedBatch(PreparedBatch batch, long producerId, boolean retry) {
        TopicPartition partition = batch.partition();
        if (retry) {
            PartitionLog log = replicas.leaderLog(partition.topic(), partition.partition());
            Optional<LogAppendInfo> earlier = findBatch(log, batch.searchFrom(), producerId);
            if (earlier.isPresent()) {
                return appends.appendedEarlier(partition, earlier.get(), RequiredAcks.ALL, commitTimeout);
            }
        }
        return appends.append(partition, batch.freshRecords(), RequiredAcks.ALL, commitTimeout);
    }

    /** The batch of {@code producerId} in {@code log} at or after {@code searchFrom}, as its append wrote it. */
    private static Optional<LogAppendInfo> findBatch(PartitionLog log, long searchFrom, long producerId) {
        long offset = Math.max(searchFrom, log.logStartOffset());
        while (offset < log.logEndOffset()) {
            FetchDataInfo data = log.read(offset, 1 << 20);
            long next = offset;
            for (RecordBatch batch : data.records().batches()) {
                if (batch.producerId() == producerId) {
                    long appendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME
                            ? batch.maxTimestamp() : -1;
                    int count = (int) (batch.lastOffset() - batch.baseOffset() + 1);
                    return Optional.of(new LogAppendInfo(batch.baseOffset(), batch.lastOffset(), batch.maxTimestamp(),
                            appendTime, count, 0, true));
                }
                next = Math.max(next, batch.nextOffset());
            }
            if (next == offset) {
                break;
            }
            offset = next;
        }
        return Optional.empty();
    }
}
