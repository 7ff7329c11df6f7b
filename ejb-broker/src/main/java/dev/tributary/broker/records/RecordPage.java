package dev.tributary.broker.records;

import java.util.List;

/** Records read from one partition, and the offset to ask for next. */
public record RecordPage(List<StoredRecord> records, long nextOffset) {

    public RecordPage {
        records = List.copyOf(records);
    }
}
