package dev.tributary.broker.log;

/**
 * A checked read ({@link CheckedSegmentRead}) met a batch that fails its check. Internal to the log package:
 * {@link PartitionLog} turns it into the log's {@link CorruptBatch} and throws {@link LogCorruptionException}.
 */
final class DamagedBatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient LogSegment segment;
    private final transient RecordBatchScanner.Damage damage;
    private final long offset;

    /** @param offset the first offset the read could not serve */
    DamagedBatchException(LogSegment segment, RecordBatchScanner.Damage damage, long offset) {
        super(damage.description(), null, false, false);
        this.segment = segment;
        this.damage = damage;
        this.offset = offset;
    }

    LogSegment segment() {
        return segment;
    }

    RecordBatchScanner.Damage damage() {
        return damage;
    }

    long offset() {
        return offset;
    }
}
