package dev.tributary.broker.log;

/**
 * Observes the log's fsyncs. The production log uses {@link #NONE}; tests use it to hold an fsync open and so
 * make group commit deterministic. (Fsync times go to {@code BrokerMetrics#flushTimes()}.)
 */
@FunctionalInterface
interface FlushListener {
    FlushListener NONE = upToOffset -> { };

    /**
     * Called by the thread about to fsync, holding the flush lock, before the fsync starts.
     *
     * @param upToOffset the fsync will make every offset below this durable
     */
    void beforeFlush(long upToOffset);
}
