package dev.tributary.broker.boundary;

import dev.tributary.broker.records.NewRecord;
import dev.tributary.broker.records.StoredRecord;
import dev.tributary.jca.api.ConsumedRecord;
import dev.tributary.jca.api.OutgoingRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.InvalidRecordException;

/** Translates between the adapter's API types and the broker core's, errors included. */
final class InVmRecords {

    private InVmRecords() {
    }

    /** Runs per record on the asynchronous send path: no streams, nothing built for a record without headers. */
    static NewRecord toNewRecord(OutgoingRecord record) {
        List<Map.Entry<String, byte[]>> headers = record.headers();
        List<Header> converted = List.of();
        if (!headers.isEmpty()) {
            Header[] array = new Header[headers.size()];
            for (int i = 0; i < array.length; i++)
                array[i] = new RecordHeader(headers.get(i).getKey(), headers.get(i).getValue());
            converted = List.of(array);
        }
        return new NewRecord(record.partition(), record.keyBytes(), record.value(), converted, record.timestamp());
    }

    static ConsumedRecord toConsumedRecord(String topic, int partition, StoredRecord record) {
        return new ConsumedRecord(topic, partition, record.offset(), record.timestamp(),
                record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8), record.value(),
                record.headers().stream().map(h -> Map.entry(h.key(), h.value() == null ? new byte[0] : h.value()))
                        .toList());
    }

    /**
     * The adapter's contract: the caller's mistake (unknown topic or partition, invalid record) is an
     * {@link IllegalArgumentException}; anything else the broker cannot do, an {@link IllegalStateException}.
     */
    static RuntimeException translate(RuntimeException e) {
        if (e instanceof UnknownTopicOrPartitionException || e instanceof InvalidTopicException
                || e instanceof InvalidRecordException || e instanceof CorruptRecordException
                || e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException
                || e instanceof InvalidTimestampException) {
            return new IllegalArgumentException(e.getMessage(), e);
        }
        if (e instanceof ApiException) {
            return new IllegalStateException(e.getMessage(), e);
        }
        return e;
    }
}
