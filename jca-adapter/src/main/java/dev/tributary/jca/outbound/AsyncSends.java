package dev.tributary.jca.outbound;

import dev.tributary.jca.api.OutgoingRecord;
import dev.tributary.jca.api.RecordMetadata;
import dev.tributary.jca.spi.BrokerGateway;
import dev.tributary.jca.spi.PartitionId;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Asynchronous sends outside a transaction, batched the way a Kafka producer batches them but without a linger:
 * sends queue up while one Work appends what was queued before, one append (and one fsync) per partition, so the
 * batch size follows the load. One Work at a time per adapter, on the adapter's WorkManager; records keep their
 * send order per partition.
 */
public final class AsyncSends {

    /** Bounds one round's memory and latency; the queue itself is bounded only by the callers. */
    private static final int MAX_RECORDS_PER_ROUND = 16_384;

    /** A queued send, and the stage its caller waits on: one object per send, not two. */
    private static final class Pending extends CompletableFuture<RecordMetadata> {
        final OutgoingRecord record;

        Pending(OutgoingRecord record) {
            this.record = record;
        }
    }

    private final Supplier<BrokerGateway> broker;
    private final Supplier<WorkManager> workManager;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    public AsyncSends(Supplier<BrokerGateway> broker, Supplier<WorkManager> workManager) {
        this.broker = broker;
        this.workManager = workManager;
    }

    CompletionStage<RecordMetadata> send(OutgoingRecord record) {
        Pending sent = new Pending(record);
        queue.add(sent);
        scheduleDrainIfIdle();
        return sent;
    }

    private void scheduleDrainIfIdle() {
        // a plain read first: while a drain runs, senders do not contend for the flag's cache line
        if (draining.get() || queue.isEmpty() || !draining.compareAndSet(false, true))
            return;
        try {
            workManager.get().scheduleWork(new Drain());
        } catch (WorkException | RuntimeException e) {
            draining.set(false);
            failAll(new IllegalStateException("Could not schedule the send: " + e.getMessage(), e));
        }
    }

    private void failAll(RuntimeException failure) {
        Pending pending;
        while ((pending = queue.poll()) != null)
            pending.completeExceptionally(failure);
    }

    /** Appends every queued record, round after round, until the queue is empty. */
    private final class Drain implements Work {

        @Override
        public void run() {
            try {
                List<Pending> round;
                while (!(round = nextRound()).isEmpty())
                    append(round);
            } finally {
                draining.set(false);
                scheduleDrainIfIdle(); // a send that queued after the last poll found the drain still marked busy
            }
        }

        @Override
        public void release() {
            failAll(new IllegalStateException("The resource adapter is stopping"));
        }

        private List<Pending> nextRound() {
            List<Pending> round = new ArrayList<>();
            Pending pending;
            while (round.size() < MAX_RECORDS_PER_ROUND && (pending = queue.poll()) != null)
                round.add(pending);
            return round;
        }

        private void append(List<Pending> round) {
            BrokerGateway target;
            try {
                target = broker.get();
            } catch (RuntimeException noBroker) {
                round.forEach(p -> p.completeExceptionally(noBroker));
                return;
            }
            // One append per partition: it lands whole or not at all (the log validates before it writes).
            Map<PartitionId, List<Pending>> byPartition = new LinkedHashMap<>();
            PartitionId previous = null;
            List<Pending> previousSends = null;
            for (Pending pending : round) {
                int partition;
                try {
                    partition = target.partitionFor(pending.record);
                } catch (RuntimeException invalid) { // unknown topic or partition: this record alone fails
                    pending.completeExceptionally(invalid);
                    continue;
                }
                String topic = pending.record.topic();
                if (previous == null || previous.partition() != partition || !previous.topic().equals(topic)) {
                    previous = new PartitionId(topic, partition);
                    previousSends = byPartition.computeIfAbsent(previous, id -> new ArrayList<>());
                }
                previousSends.add(pending);
            }
            byPartition.forEach((id, sends) -> appendBatch(target, id.topic(), id.partition(), sends));
        }

        /** An append the log refuses (a record over the topic's max.message.bytes, say) is halved until it fits. */
        private void appendBatch(BrokerGateway target, String topic, int partition, List<Pending> batch) {
            List<OutgoingRecord> records = new ArrayList<>(batch.size());
            for (Pending pending : batch)
                records.add(pending.record);
            List<RecordMetadata> landed;
            try {
                landed = target.append(topic, partition, records);
            } catch (RuntimeException refused) {
                if (batch.size() == 1) {
                    batch.get(0).completeExceptionally(refused);
                } else {
                    appendBatch(target, topic, partition, batch.subList(0, batch.size() / 2));
                    appendBatch(target, topic, partition, batch.subList(batch.size() / 2, batch.size()));
                }
                return;
            }
            for (int i = 0; i < batch.size(); i++)
                batch.get(i).complete(landed.get(i));
        }
    }
}
