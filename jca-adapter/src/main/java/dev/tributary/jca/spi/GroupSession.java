package dev.tributary.jca.spi;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * One in-process member of a consumer group, driven by the resource adapter's threads. It takes part in the same
 * classic group protocol as Kafka consumers (protocol type "consumer", range assignment), so an MDB and a
 * {@code KafkaConsumer} of one group share its partitions.
 *
 * <p>Thread-safety: {@link #ensureActive}, {@link #heartbeat} and {@link #close} are called by the activation's one
 * coordinating thread; {@link #commit} and {@link #fetch} by partition workers, concurrently.
 */
public interface GroupSession extends AutoCloseable {

    /**
     * Joins (or rejoins) the group if this member has no current generation, and returns the partitions assigned
     * to it in that generation.
     *
     * @throws IllegalStateException if the group cannot be joined within {@code timeout}
     */
    Set<PartitionId> ensureActive(Duration timeout);

    /**
     * Tells the coordinator this member is alive.
     *
     * @param stopDeliveries stops the deliveries of this generation's partitions and waits for records in delivery;
     *                       a session that must give partitions up before this call returns (a remote group's
     *                       rebalance) runs it first, on this thread, so no two members deliver one partition
     * @return false if the group is rebalancing (or forgot this member): the caller stops its partitions and calls
     *         {@link #ensureActive} again
     */
    boolean heartbeat(Runnable stopDeliveries);

    /** How often {@link #heartbeat} must be called. */
    Duration heartbeatInterval();

    /** Where each partition starts: its committed offset, or the reset position the subscription chooses. */
    Map<PartitionId, Long> startOffsets(Set<PartitionId> partitions);

    /**
     * Commits {@code nextOffset} (the offset after the last processed record) for the current generation.
     *
     * @return false if it was not committed because the group has rebalanced since (the record will be delivered
     *         again to whoever owns the partition now: at-least-once)
     */
    boolean commit(PartitionId partition, long nextOffset);

    /**
     * Reads up to {@code maxRecords} committed-to-the-log records from {@code offset}, waiting up to {@code maxWait}
     * for the first one to arrive.
     */
    FetchedRecords fetch(PartitionId partition, long offset, int maxRecords, Duration maxWait)
            throws InterruptedException;

    /** Leaves the group at once (no session timeout to wait for), so the group rebalances immediately. */
    @Override
    void close();
}
