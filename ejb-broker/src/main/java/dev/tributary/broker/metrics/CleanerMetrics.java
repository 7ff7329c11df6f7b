package dev.tributary.broker.metrics;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * What the log cleaner (compaction) did and how far behind it is: bytes it read from and wrote back to compacted
 * logs and cleanings completed, counted as they happen; the largest dirty ratio, the longest wait of a partition that
 * needs cleaning and the partitions whose cleaning failed, read from the cleaner when asked.
 *
 * <p>Thread-safe: the cleaner threads count with {@link LongAdder}s; the cleaner registers its gauges once.
 */
public final class CleanerMetrics {

    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder cleanings = new LongAdder();
    private volatile DoubleSupplier maxDirtyRatio = () -> 0;
    private volatile LongSupplier maxLagMs = () -> 0;
    private volatile IntSupplier failedPartitions = () -> 0;

    /** A cleaning completed, having read {@code read} bytes of segments and written {@code written}. */
    public void cleaned(long read, long written) {
        bytesRead.add(read);
        bytesWritten.add(written);
        cleanings.increment();
    }

    /** The cleaner's own state, read when the gauges are. */
    public void gaugesFrom(DoubleSupplier dirtyRatio, LongSupplier lagMs, IntSupplier failed) {
        maxDirtyRatio = dirtyRatio;
        maxLagMs = lagMs;
        failedPartitions = failed;
    }

    /** Bytes of segments the cleaner read and filtered ("bytes cleaned"). */
    public long bytesRead() {
        return bytesRead.sum();
    }

    /** Bytes the cleaner kept and wrote into compacted segments. */
    public long bytesWritten() {
        return bytesWritten.sum();
    }

    public long cleanings() {
        return cleanings.sum();
    }

    /** The largest share of a compacted log written since it was last cleaned, 0 to 1. */
    public double maxDirtyRatio() {
        return maxDirtyRatio.getAsDouble();
    }

    /** The longest time a partition that needs cleaning has waited for it, in milliseconds. */
    public long maxLagMs() {
        return maxLagMs.getAsLong();
    }

    public int failedPartitions() {
        return failedPartitions.getAsInt();
    }
}
