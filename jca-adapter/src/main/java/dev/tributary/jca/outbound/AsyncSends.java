package dev.tributary.jca.outbound;

import dev.tributary.jca.api.OutgoingRecord;
import dev.tributary.jca.api.RecordMetadata;
import dev.tributary.jca.spi.BrokerGateway;
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
 * sends queue up while one Work appends what was queued before, one batch (and one fsync) per partition, so the
 * batch size follows the load. One Work at a time per adapter, on the adapter's WorkManager; records keep their
 * send order per partition.
 */
public final class AsyncSends {

    /** Bounds one round's memory and latency; the queue itself is bounded only by the callers. */
    private static final int MAX_RECORDS_PER_ROUND = 16_384;

    /** Well under Kafka's default max.message.bytes (1 MiB), so a batch rarely needs halving. */
    private static final int MAX_BATCH_BYTES = 256 * 1024;

    private record Pending(OutgoingRecord record, CompletableFuture<RecordMetadata> sent) {
    }

    /** A record with its partition fixed. */
    private record Placed(OutgoingRecord record, CompletableFuture<RecordMetadata> sent) {
        long size() {
            long headers = 0;
            for (Map.Entry<String, byte[]> header : record.headers())
                headers += header.getKey().length() + header.getValue().length;
            byte[] key = record.keyBytes();
            return record.value().length + (key == null ? 0 : key.length) + headers;
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
        CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
        queue.add(new Pending(record, sent));
        scheduleDrainIfIdle();
        return sent;
    }

    private void scheduleDrainIfIdle() {
        if (queue.isEmpty() || !draining.compareAndSet(false, true))
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
            pending.sent().completeExceptionally(failure);
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
                round.forEach(p -> p.sent().completeExceptionally(noBroker));
                return;
            }
            // One batch per partition: a batch either lands whole or not at all (the log validates before it writes).
            Map<String, Map<Integer, List<Placed>>> byPartition = new LinkedHashMap<>();
            for (Pending pending : round) {
                try {
                    OutgoingRecord placed = TributaryManagedConnection.place(pending.record(), target);
                    byPartition.computeIfAbsent(placed.topic(), t -> new LinkedHashMap<>())
                            .computeIfAbsent(placed.partition().getAsInt(), p -> new ArrayList<>())
                            .add(new Placed(placed, pending.sent()));
                } catch (RuntimeException invalid) { // unknown topic or partition: this record alone fails
                    pending.sent().completeExceptionally(invalid);
                }
            }
            byPartition.forEach((topic, partitions) -> partitions.values().forEach(sends -> {
                int from = 0;
                long bytes = 0;
                for (int i = 0; i < sends.size(); i++) {
                    bytes += sends.get(i).size();
                    if (bytes > MAX_BATCH_BYTES && i > from) {
                        appendBatch(target, topic, sends.subList(from, i));
                        from = i;
                        bytes = sends.get(i).size();
                    }
                }
                appendBatch(target, topic, sends.subList(from, sends.size()));
            }));
        }

        /** A batch the log refuses (larger than the topic's max.message.bytes, say) is halved until it fits. */
        private void appendBatch(BrokerGateway target, String topic, List<Placed> batch) {
            List<RecordMetadata> landed;
            try {
                landed = target.append(topic, batch.stream().map(Placed::record).toList());
            } catch (RuntimeException refused) {
                if (batch.size() == 1) {
                    batch.get(0).sent().completeExceptionally(refused);
                } else {
                    appendBatch(target, topic, batch.subList(0, batch.size() / 2));
                    appendBatch(target, topic, batch.subList(batch.size() / 2, batch.size()));
                }
                return;
            }
            for (int i = 0; i < batch.size(); i++)
                batch.get(i).sent().complete(landed.get(i));
        }
    }
}
