package dev.tributary.jca.spi;

import java.util.Objects;

/** One partition of one topic, as the adapter and the broker name it to each other. */
public record PartitionId(String topic, int partition) {

    public PartitionId {
        Objects.requireNonNull(topic, "topic");
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
