package dev.tributary.jca.spi;

import dev.tributary.jca.api.ConsumedRecord;
import java.util.List;

/**
 * Records read from one partition and the offset to read from next. {@code nextOffset} may differ from the last
 * record's offset + 1 when the requested offset was out of range and the read started from the group's reset
 * position instead.
 */
public record FetchedRecords(List<ConsumedRecord> records, long nextOffset) {

    public FetchedRecords {
        records = List.copyOf(records);
    }
}
