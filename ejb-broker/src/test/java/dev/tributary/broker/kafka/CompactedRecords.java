package dev.tributary.broker.kafka;

import dev.tributary.broker.log.FetchDataInfo;
import dev.tributary.broker.log.FetchIsolation;
import dev.tributary.broker.log.PartitionLog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.Utils;

/** Reads a replica's log record by record, for tests of compacted topics. */
final class CompactedRecords {

    /** A record as the log holds it; a null value is a tombstone. */
    record Stored(long offset, String key, String value) {
    }

    private CompactedRecords() {
    }

    /** Every record from the log start offset to the log end, across the gaps compaction left. */
    static List<Stored> readAll(PartitionLog log) {
        List<Stored> records = new ArrayList<>();
        long next = log.logStartOffset();
        long end = log.logEndOffset();
        while (next < end) {
            FetchDataInfo read = log.read(next, 1 << 20, FetchIsolation.LOG_END);
            long before = next;
            for (RecordBatch batch : read.records().batches()) {
                for (Record record : batch) {
                    if (record.offset() >= next)
                        records.add(new Stored(record.offset(), string(record.key()), string(record.value())));
                }
                next = Math.max(next, batch.nextOffset());
            }
            if (next == before)
                break; // a concurrent append or roll: what was read is enough for the callers
        }
        return records;
    }

    /** The latest record of each key in {@code records}, as a consumer reading them all ends up with. */
    static Map<String, Stored> latestByKey(List<Stored> records) {
        Map<String, Stored> latest = new LinkedHashMap<>();
        for (Stored record : records)
            latest.put(record.key(), record);
        return latest;
    }

    private static String string(java.nio.ByteBuffer buffer) {
        return buffer == null ? null : new String(Utils.toArray(buffer), StandardCharsets.UTF_8);
    }
}
