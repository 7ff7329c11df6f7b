package dev.tributary.broker.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the broker found checking its logs' data after it was written: how much the log scrubber re-read and
 * verified, the corrupt batches found (by the scrubber or by a read that decodes records), and the segment indexes
 * rebuilt because they disagreed with the data. Counters since the broker started.
 *
 * <p>Thread-safe; every method is a {@link LongAdder} increment or sum.
 */
public final class LogIntegrity {

    private final LongAdder scrubbedBytes = new LongAdder();
    private final LongAdder scrubbedSegments = new LongAdder();
    private final LongAdder completedPasses = new LongAdder();
    private final LongAdder corruptBatches = new LongAdder();
    private final LongAdder rebuiltIndexes = new LongAdder();

    /** The scrubber verified {@code bytes} of one segment. */
    public void segmentScrubbed(long bytes) {
        scrubbedBytes.add(bytes);
        scrubbedSegments.increment();
    }

    /** The scrubber finished a pass over every sealed segment. */
    public void passCompleted() {
        completedPasses.increment();
    }

    /** A log was found to hold a corrupt batch it was not known to hold. */
    public void corruptBatchFound() {
        corruptBatches.increment();
    }

    /** A segment's indexes disagreed with its data and were rebuilt. */
    public void indexesRebuilt() {
        rebuiltIndexes.increment();
    }

    public long scrubbedBytes() {
        return scrubbedBytes.sum();
    }

    public long scrubbedSegments() {
        return scrubbedSegments.sum();
    }

    public long completedPasses() {
        return completedPasses.sum();
    }

    public long corruptBatches() {
        return corruptBatches.sum();
    }

    public long rebuiltIndexes() {
        return rebuiltIndexes.sum();
    }
}
