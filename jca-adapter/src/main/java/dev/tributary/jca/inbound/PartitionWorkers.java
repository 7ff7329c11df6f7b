package dev.tributary.jca.inbound;

import dev.tributary.jca.api.ConsumedRecord;
import dev.tributary.jca.spi.FetchedRecords;
import dev.tributary.jca.spi.GroupSession;
import dev.tributary.jca.spi.BrokerGateway;
import dev.tributary.jca.spi.PartitionId;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers the partitions of one generation's assignment: up to {@code maxConcurrency} workers (Work on the
 * adapter's WorkManager) take ready partitions from a shared queue, deliver a run of records from one, and put it
 * back. A slow bean therefore holds one worker and one partition, never the others; a failing record puts its
 * partition back with the retry backoff as delay.
 *
 * <p>A record's offset is committed only once it was delivered (or dead-lettered); {@link #stop} waits for the
 * records in delivery to finish, so the group can be rejoined without two members delivering one partition.
 */
final class PartitionWorkers {

    private static final Logger LOG = Logger.getLogger(PartitionWorkers.class.getName());
    /** How long an idle worker waits for a ready partition before checking whether it should stop. */
    private static final long QUEUE_POLL_MS = 100;

    private final ActivationConfig config;
    private final GroupSession session;
    private final BrokerGateway broker;
    private final RecordDelivery delivery;
    private final DelayQueue<PartitionCursor> ready = new DelayQueue<>();
    private final Duration fetchWait;
    private final CountDownLatch finished;
    private final int workerCount;
    private volatile boolean running = true;
    private volatile boolean lostGeneration;

    PartitionWorkers(ActivationConfig config, GroupSession session, BrokerGateway broker, RecordDelivery delivery,
                     Map<PartitionId, Long> startOffsets) {
        this.config = config;
        this.session = session;
        this.broker = broker;
        this.delivery = delivery;
        startOffsets.forEach((partition, offset) -> ready.add(new PartitionCursor(partition, offset)));
        this.workerCount = Math.min(config.maxConcurrency(), startOffsets.size());
        this.finished = new CountDownLatch(workerCount);
        // With a worker per partition, each can long-poll its own; otherwise a worker must not sit on an idle
        // partition while another has records.
        this.fetchWait = Duration.ofMillis(workerCount >= startOffsets.size() ? 500 : 50);
    }

    void start(WorkManager workManager) throws WorkException {
        for (int i = 0; i < workerCount; i++) {
            workManager.scheduleWork(new Worker());
        }
    }

    /** Whether a commit found the group rebalanced: the activation must rejoin. */
    boolean lostGeneration() {
        return lostGeneration;
    }

    /** Stops taking partitions and waits (up to {@code timeout}) for deliveries in progress to end. */
    void stop(Duration timeout) throws InterruptedException {
        running = false;
        if (!finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warning(() -> "Deliveries of group " + config.groupId() + " still running after " + timeout);
        }
    }

    private final class Worker implements Work {

        @Override
        public void run() {
            try {
                while (running) {
                    PartitionCursor cursor = ready.poll(QUEUE_POLL_MS, TimeUnit.MILLISECONDS);
                    if (cursor != null) {
                        try {
                            deliverFrom(cursor);
                            cursor.troubleCleared();
                        } catch (RuntimeException e) {
                            // The broker could not read, dead-letter or commit (topic deleted, disk full, corrupt
                            // data...): said once with its cause, then quietly retried until it changes or clears.
                            boolean again = cursor.sameTroubleAsBefore(String.valueOf(e));
                            LOG.log(again ? Level.FINE : Level.WARNING, "Delivering " + cursor + " failed; retrying"
                                    + " every " + config.retryBackoffMs() + " ms", again ? null : e);
                            cursor.delay(config.retryBackoffMs());
                        } finally {
                            ready.add(cursor);
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                finished.countDown();
            }
        }

        /** The container stops the work: finish the record in hand, then exit. */
        @Override
        public void release() {
            running = false;
        }
    }

    private void deliverFrom(PartitionCursor cursor) throws InterruptedException {
        FetchedRecords fetched = session.fetch(cursor.partition(), cursor.position(), config.maxPollRecords(),
                fetchWait);
        if (fetched.records().isEmpty()) {
            cursor.advanceTo(fetched.nextOffset());
            return;
        }
        for (ConsumedRecord record : fetched.records()) {
            if (!running || !handle(cursor, record)) {
                return;
            }
        }
    }

    /** @return whether the cursor moved past {@code record} (false: it waits for a retry) */
    private boolean handle(PartitionCursor cursor, ConsumedRecord record) {
        RecordDelivery.Outcome outcome = delivery.deliver(record);
        if (!outcome.succeeded()) {
            int failures = cursor.failed(config.retryBackoffMs());
            if (failures <= config.retries()) {
                LOG.log(Level.WARNING, record + " failed (attempt " + failures + " of " + (config.retries() + 1)
                        + "); retrying in " + config.retryBackoffMs() + " ms", outcome.failure());
                return false;
            }
            if (config.deadLetterTopic().isEmpty()) {
                LOG.log(Level.WARNING, record + " failed " + failures + " times and there is no deadLetterTopic: "
                        + "partition " + cursor.partition() + " pauses and keeps retrying", outcome.failure());
                return false;
            }
            broker.append(DeadLetters.deadLetter(config.deadLetterTopic().get(), record, outcome.failure()));
            LOG.warning(() -> record + " failed " + failures + " times; sent to " + config.deadLetterTopic().get());
        }
        cursor.advanceTo(record.offset() + 1);
        cursor.delay(0);
        if (!session.commit(cursor.partition(), record.offset() + 1)) {
            // The group rebalanced: this partition may be someone else's now. Stop; the activation rejoins.
            lostGeneration = true;
            running = false;
            return false;
        }
        return true;
    }
}
