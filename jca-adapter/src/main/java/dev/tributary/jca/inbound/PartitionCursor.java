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
