package dev.tributary.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an {@code acks=all} producer was told, as a Jepsen-style history: every acknowledged value with the
 * partition and offset the leader gave it, and when each acknowledgement arrived (for the unavailability windows).
 * Thread-safe: the producer's callbacks write, the test reads.
 */
final class AckLedger {

    /** Where the log said a value went. */
    record Position(int partition, long offset) {
    }

    private record Ack(int partition, long atNanos) {
    }

    private final Map<Long, Position> acknowledged = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Ack> times = new ConcurrentLinkedQueue<>();
    private final AtomicLong failed = new AtomicLong();

    void acknowledged(long value, int partition, long offset) {
        acknowledged.put(value, new Position(partition, offset));
        times.add(new Ack(partition, System.nanoTime()));
    }

    /** A send the producer gave up on: never acknowledged, so the log may or may not hold it. */
    void failed() {
        failed.incrementAndGet();
    }

    int count() {
        return acknowledged.size();
    }

    long failures() {
        return failed.get();
    }

    Map<Long, Position> acknowledged() {
        return Map.copyOf(acknowledged);
    }

    /**
     * The longest time, in {@code [fromNanos, toNanos]}, that some partition went without an acknowledged write:
     * the unavailability window of a fault in that interval (the edges count as acknowledgements, so a partition
     * silent throughout counts the whole interval).
     */
    long longestSilenceMs(int partitions, long fromNanos, long toNanos) {
        Map<Integer, List<Long>> byPartition = new TreeMap<>();
        for (int p = 0; p < partitions; p++)
            byPartition.put(p, new ArrayList<>(List.of(fromNanos)));
        for (Ack ack : times) {
            if (ack.atNanos() >= fromNanos && ack.atNanos() <= toNanos)
                byPartition.get(ack.partition()).add(ack.atNanos());
        }
        long longest = 0;
        for (List<Long> acks : byPartition.values()) {
            acks.add(toNanos);
            acks.sort(null);
            for (int i = 1; i < acks.size(); i++)
                longest = Math.max(longest, acks.get(i) - acks.get(i - 1));
        }
        return longest / 1_000_000;
    }
}
