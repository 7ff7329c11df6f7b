package dev.tributary.broker.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * Records and bytes into and out of one topic since the broker started. In: appended to any of its partition
 * logs, whatever the path (Kafka Produce, REST, the JCA adapter, committed transactions); an idempotent
 * producer's retry that the log recognises is not counted again. Out: served to readers (Kafka Fetch, REST reads).
 *
 * <p>Thread-safe; the writers are the append and read paths, so every method is a {@link LongAdder} increment.
 */
public final class TopicTraffic {

    private final String topic;
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder recordsIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder recordsOut = new LongAdder();

    public TopicTraffic(String topic) {
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }

    public void appended(int records, long bytes) {
        recordsIn.add(records);
        bytesIn.add(bytes);
    }

    public void served(long records, long bytes) {
        recordsOut.add(records);
        bytesOut.add(bytes);
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long recordsIn() {
        return recordsIn.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    public long recordsOut() {
        return recordsOut.sum();
    }
}
