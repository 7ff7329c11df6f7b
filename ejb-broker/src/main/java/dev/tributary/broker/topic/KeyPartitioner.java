package dev.tributary.broker.topic;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.utils.Utils;

/**
 * Chooses a partition for a record without an explicit one: a keyed record goes exactly where Kafka's default
 * partitioner puts it (murmur2 of the key bytes), so keys land on the same partition whichever client wrote them;
 * unkeyed records are spread round-robin.
 */
public final class KeyPartitioner {

    private final AtomicInteger next = new AtomicInteger();

    public int partitionFor(byte[] key, int numPartitions) {
        if (key == null) {
            return Utils.toPositive(next.getAndIncrement()) % numPartitions;
        }
        return keyedPartition(key, numPartitions);
    }

    public static int keyedPartition(byte[] key, int numPartitions) {
        return Utils.toPositive(Utils.murmur2(key)) % numPartitions;
    }
}
