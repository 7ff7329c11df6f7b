package dev.tributary.broker.log;

import org.apache.kafka.common.record.internal.RecordBatch;

import java.util.Optional;

/**
 * Checks a sealed segment's {@link OffsetIndex} and {@link TimeIndex} against its batches while a scan visits
 * them in file order ({@link LogSegment#verify}). The segment indexes as {@link LogSegment#append} does: every
 * offset-index entry {@code (o, p)} names the batch starting at byte {@code p}, whose last offset is {@code o};
 * every time-index entry {@code (t, o)} names the batch whose last offset is {@code o} and whose largest timestamp
 * is {@code t}. The first entry that names no such batch is the mismatch; whether the data itself is sound is the
 * scan's business.
 *
 * <p>Not thread-safe; one per scan. The segment must be sealed (its indexes do not change) unless the caller
 * discards the outcome after a truncation ({@link LocalLog#truncations()}).
 */
final class IndexCheck implements RecordBatchScanner.BatchVisitor {
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final int offsetEntries;
    private final int timeEntries;
    private int nextOffsetEntry;
    private int nextTimeEntry;
    private String mismatch;

    IndexCheck(LogSegment segment) {
        this.offsetIndex = segment.offsetIndex();
        this.timeIndex = segment.timeIndex();
        this.offsetEntries = offsetIndex.entries();
        this.timeEntries = timeIndex.entries();
    }

    @Override
    public void accept(RecordBatch batch, int position) {
        if (mismatch != null)
            return;
        long lastOffset = batch.lastOffset();
        if (nextOffsetEntry < offsetEntries) {
            OffsetPosition entry = offsetIndex.entry(nextOffsetEntry);
            if (entry.position() < position) {
                mismatch = "offset index entry " + nextOffsetEntry + " " + entry + " points into the middle of a batch"
                        + " (the batches around it start at " + position + " and before)";
                return;
            }
            if (entry.position() == position) {
                if (entry.offset() != lastOffset) {
                    mismatch = "offset index entry " + nextOffsetEntry + " " + entry + " says the batch at position "
                            + position + " ends at offset " + entry.offset() + ", but it ends at " + lastOffset;
                    return;
                }
                nextOffsetEntry++;
            }
        }
        while (nextTimeEntry < timeEntries) {
            TimestampOffset entry = timeIndex.entry(nextTimeEntry);
            if (entry.offset() > lastOffset)
                break;
            if (entry.offset() < lastOffset || entry.timestamp() != batch.maxTimestamp()) {
                mismatch = "time index entry " + nextTimeEntry + " " + entry + " names no batch: the batch holding"
                        + " that offset ends at offset " + lastOffset + " with largest timestamp "
                        + batch.maxTimestamp();
                return;
            }
            nextTimeEntry++;
        }
    }

    /** After a scan that reached the end of the data: the first entry that names no batch, if any. */
    Optional<String> mismatch() {
        if (mismatch == null && nextOffsetEntry < offsetEntries)
            return Optional.of("offset index entry " + nextOffsetEntry + " " + offsetIndex.entry(nextOffsetEntry)
                    + " points beyond the last batch");
        if (mismatch == null && nextTimeEntry < timeEntries)
            return Optional.of("time index entry " + nextTimeEntry + " " + timeIndex.entry(nextTimeEntry)
                    + " points beyond the last batch");
        return Optional.ofNullable(mismatch);
    }
}
