package dev.tributary.jca.inbound;

import dev.tributary.jca.spi.PartitionId;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * One assigned partition's delivery state: the next offset to deliver, and how often the record there has failed.
 * A cursor is held by at most one worker at a time (it is either in the ready queue or being worked on), which is
 * what keeps a partition's records in order and one at a time. A failed record puts its cursor back with a delay,
 * so retry backoff never holds a worker.
 */
final class PartitionCursor implements Delayed {

    private final PartitionId partition;
    private long position;
    private int failures;
    private long readyAtNanos;
    /** Why the last attempt to work on the partition failed, if it did; see {@link #sameTroubleAsBefore}. */
    private String trouble;

    PartitionCursor(PartitionId partition, long position) {
        this.partition = partition;
        this.position = position;
        this.readyAtNanos = System.nanoTime();
    }

    PartitionId partition() {
        return partition;
    }

    long position() {
        return position;
    }

    /** The record at the position was handled (delivered or dead-lettered): move past it. */
    void advanceTo(long nextOffset) {
        position = nextOffset;
        failures = 0;
    }

    /** The record at the position failed once more; the cursor is ready again after {@code backoffMs}. */
    int failed(long backoffMs) {
        delay(backoffMs);
        return ++failures;
    }

    /**
     * Records why an attempt failed outside a record's delivery (the broker could not fetch or commit): whether it
     * is what the previous attempt failed with too, so that a cause that persists is reported once, not at every
     * retry.
     */
    boolean sameTroubleAsBefore(String cause) {
        boolean same = cause.equals(trouble);
        trouble = cause;
        return same;
    }

    /** An attempt went through: the next failure is news again. */
    void troubleCleared() {
        trouble = null;
    }

    /** Ready again only after {@code delayMs}. */
    void delay(long delayMs) {
        readyAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
    }

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(readyAtNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
        return Long.compare(readyAtNanos, ((PartitionCursor) other).readyAtNanos);
    }

    @Override
    public String toString() {
        return partition + "@" + position;
    }
}
