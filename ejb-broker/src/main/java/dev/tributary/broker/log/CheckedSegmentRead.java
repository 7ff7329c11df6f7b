package dev.tributary.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * A read of one segment for a caller that decodes the records (see {@link PartitionLog#readVerified}): what
 * {@link LogSegment#read} would slice is copied into memory and every batch checked as recovery checks it
 * ({@link RecordBatchScanner}: framing, magic, CRC, offsets) before it is returned, and so is the chain of batch
 * headers that leads from the offset index to the first one. Only complete batches are returned: a last batch cut
 * off by the size limit is left out.
 *
 * <p>Any thread, no lock, as {@link LogSegment#read}. Damage found on a segment that a truncation rewrote meanwhile is
 * not damage; the caller checks that ({@link LogDamage#unchangedSince}).
 */
final class CheckedSegmentRead {

    private CheckedSegmentRead() {
    }

    /**
     * @return the checked batches from the one holding {@code startOffset}, or null if the segment holds no batch at
     *         or after it below {@code maxPosition} (as {@link LogSegment#read})
     * @throws DamagedBatchException if a batch fails its check, or the headers cannot be followed to it
     * @throws KafkaStorageException if the file cannot be read
     */
    static FetchDataInfo read(LogSegment segment, long startOffset, int maxSize, int maxPosition) {
        int position = segment.offsetIndex().lookup(startOffset).position();
        FileChannelRecordBatch start = null;
        try {
            for (FileChannelRecordBatch batch : segment.records().batchesFrom(position)) {
                if (batch.position() >= maxPosition)
                    break;
                if (batch.lastOffset() >= startOffset) {
                    start = batch;
                    break;
                }
                position = batch.position() + batch.sizeInBytes();
            }
        } catch (RuntimeException e) { // Kafka's iteration refuses a header it cannot read
            throw damaged(segment, position, "the batch header cannot be read: " + e.getMessage(), startOffset);
        }
        if (start == null) {
            if (position < maxPosition) // the iteration stopped at a header claiming more bytes than there are
                throw damaged(segment, position, "the batch header claims more bytes than the segment's "
                        + maxPosition + " readable bytes hold", startOffset);
            return null;
        }
        int length = Math.min(maxPosition - start.position(), Math.max(maxSize, start.sizeInBytes()));
        ByteBuffer bytes = ByteBuffer.allocate(length);
        try {
            segment.records().readInto(bytes, start.position());
            RecordBatchScanner.Result checked = new RecordBatchScanner(bytes, start.position(), segment.baseOffset())
                    .scanFrom(start.position(), segment.baseOffset(), (batch, at) -> { });
            Optional<RecordBatchScanner.Damage> damage = checked.damage();
            boolean cutOffByMaxSize = damage.isPresent() && damage.get().incomplete()
                    && checked.validBatches() > 0 && start.position() + length < maxPosition;
            if (damage.isPresent() && !cutOffByMaxSize)
                throw new DamagedBatchException(segment, damage.get(),
                        checked.validBatches() == 0 ? startOffset : checked.nextOffset());
            bytes.limit(checked.validBytes());
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot read segment " + segment.logFile() + ": " + e, e);
        }
        return new FetchDataInfo(startOffset, MemoryRecords.readableRecords(bytes.slice()));
    }

    private static DamagedBatchException damaged(LogSegment segment, int position, String problem, long offset) {
        return new DamagedBatchException(segment, new RecordBatchScanner.Damage(position, problem, "unknown", false),
                offset);
    }
}
